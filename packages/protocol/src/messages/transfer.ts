import { z } from 'zod';

export const TRANSFER_FORMATS = ['vcard', 'csv'] as const;
export const TransferFormat = z.enum(TRANSFER_FORMATS);
export type TransferFormat = z.infer<typeof TransferFormat>;

/** One card or row that could not be imported, and why. */
export const ImportProblem = z.object({
  /** 1-based: the card's rank in the file, or the CSV line number. */
  position: z.number().int().positive(),
  /** The contact's name as far as it could be read, to help find it in the file. */
  label: z.string(),
  field: z.string(),
  reason: z.string(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

export const VCARD_VERSIONS = ['3.0', '4.0'] as const;

/** A value left out of a card or row that was imported all the same. */
export const ImportWarning = ImportProblem.extend({
  /** The value as it was in the file, when there was one. */
  detail: z.string().optional(),
});
export type ImportWarning = z.infer<typeof ImportWarning>;

export const transfer = {
  /**
   * Adds every card or row that names someone (N, FN, ORG, NICKNAME, an e-mail or a phone);
   * a value that cannot be kept is left out and listed in `warnings`, the card staying; the
   * cards naming nobody are listed in `rejected`. With `dry_run`, nothing is written.
   *
   * The file travels either as `bytes` (base64 of the file exactly as it is on disk: the server
   * finds its encoding, see PROTOCOL.md) or as `data` (text already decoded by the client).
   */
  import_contacts: {
    params: z
      .strictObject({
        format: TransferFormat,
        /** The file's text: a vCard file (2.1, 3.0 or 4.0, one or many cards) or a CSV file with a header row. */
        data: z.string().min(1).optional(),
        /** The file's bytes, base64: UTF-8 (with or without BOM), UTF-16 LE/BE, Windows-1252, Shift_JIS… */
        bytes: z.base64().min(1).optional(),
        /** The bytes' encoding when the sender knows it (an iconv-lite name: "windows-1252", "shift_jis"); else guessed. */
        charset: z.string().min(1).max(40).optional(),
        dry_run: z.boolean().default(false),
      })
      .refine((p) => (p.data === undefined) !== (p.bytes === undefined), { error: 'data_or_bytes', path: ['data'] }),
    result: z.object({
      imported: z.number().int().nonnegative(),
      rejected: z.array(ImportProblem.extend({ detail: z.string().optional() })),
      warnings: z.array(ImportWarning),
      dry_run: z.boolean(),
    }),
  },
  /** The whole annuaire as one file, in name order. */
  export_contacts: {
    params: z.strictObject({
      format: TransferFormat,
      /** vCard version (default 3.0, which every address book reads). */
      version: z.enum(VCARD_VERSIONS).default('3.0'),
    }),
    result: z.object({
      format: TransferFormat,
      count: z.number().int().nonnegative(),
      data: z.string(),
      /** The usual file name extension: "vcf" or "csv". */
      extension: z.string(),
    }),
  },
} as const;
