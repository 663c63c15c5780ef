import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusFiles, importFile, summarize, type FileReport } from '../scripts/corpus-core';
import { startTestServer, type TestServer } from './helpers';

// The interop corpus lives outside the repository (../shared/corpus/contacts); skip cleanly without it.
const files = corpusFiles();

describe.skipIf(files.length === 0)('the real-world corpus', () => {
  let t: TestServer;
  const reports: FileReport[] = [];
  beforeAll(async () => {
    t = await startTestServer({ maxFrameBytes: 64 * 1024 * 1024 });
    for (const file of files) reports.push(await importFile((await t.user()).client, file));
    console.log(summarize(reports));
  }, 120_000);
  afterAll(() => t?.close());

  it('accounts for every card: imported, or rejected with its reason', () => {
    for (const r of reports) {
      if (r.found === 0) continue;
      expect({ file: r.file, accounted: r.imported + r.rejected.length }).toEqual({ file: r.file, accounted: r.found });
    }
  });

  it('rejects only the cards and rows that identify nobody', () => {
    const others = reports.flatMap((r) => r.rejected.filter((x) => x.reason !== 'no_identity').map((x) => ({ file: r.file, ...x })));
    expect(others.filter((x) => !(x.reason === 'no_vcard' && x.file === 'vcf-empty-bom-only.vcf'))).toEqual([]);
  });

  it('names the field and the reason of every value it drops', () => {
    for (const d of reports.flatMap((r) => r.dropped)) expect(d.field && d.reason).toBeTruthy();
  });
});
