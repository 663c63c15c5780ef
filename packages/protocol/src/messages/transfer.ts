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

const ImportResult = z.object({
  imported: z.number().int().nonnegative(),
  /** At most 1000 are listed, in file order; rejected_total counts them all. */
  rejected: z.array(ImportWarning),
  warnings: z.array(ImportWarning),
  rejected_total: z.number().int().nonnegative(),
  warnings_total: z.number().int().nonnegative(),
  dry_run: z.boolean(),
});

/**
 * Sent during an import (import_contacts or import_end) after each batch written: how far the
 * server has read the file, and what it has done so far.
 */
export const ImportProgressEvent = z.object({
  event: z.literal('import_progress'),
  bytes_read: z.number().int().nonnegative(),
  bytes_total: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
});
export type ImportProgressEvent = z.infer<typeof ImportProgressEvent>;

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
    result: ImportResult,
  },
  /**
   * A file too large for one frame goes in pieces: import_begin, then import_chunk for each
   * piece in order, then import_end, which imports it as import_contacts does (its result).
   * The server keeps the pieces on disk, not in memory; one upload per session at a time.
   */
  import_begin: {
    params: z.strictObject({
      format: TransferFormat,
      charset: z.string().min(1).max(40).optional(),
      dry_run: z.boolean().default(false),
      /** The file's size in bytes, if known: progress events give it back as bytes_total. */
      size: z.number().int().nonnegative().optional(),
    }),
    result: z.object({ upload_id: z.string(), max_chunk_bytes: z.number().int().positive(), max_bytes: z.number().int().positive() }),
  },
  import_chunk: {
    params: z.strictObject({ upload_id: z.string().max(100), bytes: z.base64().min(1) }),
    result: z.object({ received: z.number().int().nonnegative() }),
  },
  import_end: {
    params: z.strictObject({ upload_id: z.string().max(100) }),
    result: ImportResult,
  },
  /**
   * The annuaire as a file, in name order, a page at a time (at most 1000 contacts or about
   * 512 KiB of text): pass `next_cursor` back as `cursor` until it is null, and write the pages'
   * `data` one after the other. A CSV header comes with the first page only.
   */
  export_contacts: {
    params: z.strictObject({
      format: TransferFormat,
      /** vCard version (default 3.0, which every address book reads). */
      version: z.enum(VCARD_VERSIONS).default('3.0'),
      cursor: z.string().max(2000).optional(),
      /** Only these contacts, in this order (a search's results, say); no cursor then. */
      contact_ids: z.array(z.number().int().positive()).min(1).max(500).optional(),
    }),
    result: z.object({
      format: TransferFormat,
      /** Contacts in this page. */
      count: z.number().int().nonnegative(),
      /** Contacts in the annuaire. */
      total: z.number().int().nonnegative(),
      data: z.string(),
      /** The usual file name extension: "vcf" or "csv". */
      extension: z.string(),
      next_cursor: z.string().nullable(),
    }),
  },
} as const;
