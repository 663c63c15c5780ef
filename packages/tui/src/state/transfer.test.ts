import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultExportPath, expandHome, formatFromPath, importFrameBytes, readImportFile } from './transfer';

const dir = mkdtempSync(path.join(tmpdir(), 'annuaire-transfer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file names', () => {
  it('expands ~ like a shell and resolves the rest', () => {
    expect(expandHome('~/a.vcf', '/home/rim')).toBe('/home/rim/a.vcf');
    expect(expandHome(' ~ ', '/home/rim')).toBe('/home/rim');
    expect(expandHome('/x/~/a.vcf', '/home/rim')).toBe('/x/~/a.vcf');
  });

  it('tells the format from the extension, whatever its case, or not at all', () => {
    expect(formatFromPath('/a/B.VCF')).toBe('vcard');
    expect(formatFromPath('b.vcard')).toBe('vcard');
    expect(formatFromPath('c.csv')).toBe('csv');
    expect(formatFromPath('d.txt')).toBeNull();
    expect(defaultExportPath('rim', 'csv')).toBe('~/annuaire-rim.csv');
  });

  it('counts the request as it goes on the wire: escapes and multi-byte letters included', () => {
    const plain = importFrameBytes('csv', 'a');
    expect(importFrameBytes('csv', 'a\r\n') - plain).toBe(4);
    expect(importFrameBytes('csv', 'é') - plain).toBe(1);
  });
});

describe('readImportFile', () => {
  it('names what is wrong: missing, a directory, empty, too large once encoded', async () => {
    expect(await readImportFile(path.join(dir, 'absent.vcf'), 'vcard')).toEqual({ ok: false, problem: 'missing' });
    expect(await readImportFile(dir, 'vcard')).toEqual({ ok: false, problem: 'notAFile' });
    writeFileSync(path.join(dir, 'vide.csv'), ' \n');
    expect(await readImportFile(path.join(dir, 'vide.csv'), 'csv')).toEqual({ ok: false, problem: 'empty' });
    writeFileSync(path.join(dir, 'lignes.csv'), 'x\n'.repeat(400));
    expect(await readImportFile(path.join(dir, 'lignes.csv'), 'csv', 1000)).toMatchObject({ ok: false, problem: 'tooBig', limit: 1000 });
    expect(await readImportFile(path.join(dir, 'lignes.csv'), 'csv', 2000)).toMatchObject({ ok: true });
  });
});
