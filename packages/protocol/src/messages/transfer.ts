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

export const transfer = {
  /**
   * Adds every valid card or row to the annuaire, in one transaction; the others are listed
   * in `rejected` with the reason. With `dry_run`, nothing is written: the result says what would be.
   */
  import_contacts: {
    params: z.strictObject({
      format: TransferFormat,
      /** The file's text: a vCard file (3.0 or 4.0, one or many cards) or a CSV file with a header row. */
      data: z.string().min(1),
      dry_run: z.boolean().default(false),
    }),
    result: z.object({
      imported: z.number().int().nonnegative(),
      rejected: z.array(ImportProblem),
      dry_run: z.boolean(),
    }),
  },
  /** The whole annuaire as one file, in name order. */
  export_contacts: {
    params: z.strictObject({ format: TransferFormat }),
    result: z.object({
      format: TransferFormat,
      count: z.number().int().nonnegative(),
      data: z.string(),
      /** The usual file name extension: "vcf" or "csv". */
      extension: z.string(),
    }),
  },
} as const;
