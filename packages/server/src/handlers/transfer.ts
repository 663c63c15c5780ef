import { catalogue } from '../i18n';
import { authed, type HandlerTable } from './context';

export const transferHandlers: HandlerTable<'import_contacts' | 'export_contacts'> = {
  import_contacts: (ctx, { format, data, bytes, charset, dry_run }, { transfer }) => {
    const { reasons } = catalogue(ctx.lang);
    const input = bytes !== undefined ? { bytes: Buffer.from(bytes, 'base64'), charset } : { data: data! };
    const result = transfer.import(authed(ctx).session, format, input, dry_run);
    const word = <T extends { reason: string }>(r: T) => ({ ...r, message: reasons[r.reason] ?? reasons.invalid_format! });
    return { ...result, rejected: result.rejected.map(word), warnings: result.warnings.map(word) };
  },

  export_contacts: (ctx, { format, version }, { transfer }) => transfer.export(authed(ctx).session, format, version),
};
