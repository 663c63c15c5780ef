import { catalogue } from '../i18n';
import { authed, type HandlerTable } from './context';

export const transferHandlers: HandlerTable<'import_contacts' | 'export_contacts'> = {
  import_contacts: (ctx, { format, data, dry_run }, { transfer }) => {
    const { reasons } = catalogue(ctx.lang);
    const result = transfer.import(authed(ctx).session, format, data, dry_run);
    return {
      ...result,
      rejected: result.rejected.map((r) => ({ ...r, message: reasons[r.reason] ?? reasons.invalid_format! })),
    };
  },

  export_contacts: (ctx, { format }, { transfer }) => transfer.export(authed(ctx).session, format),
};
