import type { ServerEvent } from '@annuaire/protocol';
import { catalogue } from '../i18n';
import type { ImportProgress } from '../services/transfer';
import { authed, type HandlerTable, type RequestContext } from './context';

type Listed = { position: number; label: string; field: string; reason: string; detail?: string };

/** The reasons worded in the session's language; progress sent to the connection as events. */
function reporting(ctx: RequestContext) {
  const { reasons } = catalogue(ctx.lang);
  const word = <T extends Listed>(r: T) => ({ ...r, message: reasons[r.reason] ?? reasons.invalid_format! });
  return {
    onProgress: (p: ImportProgress) => ctx.notify({ event: 'import_progress', ...p } satisfies ServerEvent),
    worded: <R extends { rejected: Listed[]; warnings: Listed[] }>(result: R): Omit<R, 'rejected' | 'warnings'> & { rejected: (Listed & { message: string })[]; warnings: (Listed & { message: string })[] } => ({
      ...result,
      rejected: result.rejected.map(word),
      warnings: result.warnings.map(word),
    }),
  } as const;
}

export const transferHandlers: HandlerTable<'import_contacts' | 'import_begin' | 'import_chunk' | 'import_end' | 'export_contacts'> = {
  import_contacts: async (ctx, { format, data, bytes, charset, dry_run }, { transfer }) => {
    const { onProgress, worded } = reporting(ctx);
    const raw = bytes !== undefined ? Buffer.from(bytes, 'base64') : Buffer.from(data!, 'utf8');
    return worded(await transfer.importBytes(authed(ctx).session, format, raw, { charset, dryRun: dry_run, onProgress }));
  },

  import_begin: (ctx, { format, charset, dry_run, size }, { uploads }) =>
    uploads.begin(authed(ctx).session.userId, { format, charset, dryRun: dry_run, size }),

  import_chunk: (ctx, { upload_id, bytes }, { uploads }) => uploads.append(authed(ctx).session.userId, upload_id, Buffer.from(bytes, 'base64')),

  import_end: async (ctx, { upload_id }, { transfer, uploads }) => {
    const { onProgress, worded } = reporting(ctx);
    const upload = uploads.finish(authed(ctx).session.userId, upload_id);
    try {
      const { format, source, charset, dryRun, totalBytes } = upload;
      return worded(await transfer.import(authed(ctx).session, format, source, { charset, dryRun, totalBytes, onProgress }));
    } finally {
      upload.discard();
    }
  },

  export_contacts: (ctx, { format, version, cursor, contact_ids }, { transfer }) =>
    transfer.export(authed(ctx).session, format, version, cursor, contact_ids),
};
