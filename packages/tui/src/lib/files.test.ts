import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImportFile, defaultExportPath, expandHome, formatFromPath } from './files';

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
});

describe('checkImportFile', () => {
  it('names what is wrong: missing, a directory, empty; any size goes (sent in pieces)', async () => {
    expect(await checkImportFile(path.join(dir, 'absent.vcf'))).toEqual({ ok: false, problem: 'missing' });
    expect(await checkImportFile(dir)).toEqual({ ok: false, problem: 'notAFile' });
    writeFileSync(path.join(dir, 'vide.csv'), ' \n');
    expect(await checkImportFile(path.join(dir, 'vide.csv'))).toEqual({ ok: false, problem: 'empty' });
    writeFileSync(path.join(dir, 'lignes.csv'), 'x\n'.repeat(2_000_000));
    expect(await checkImportFile(path.join(dir, 'lignes.csv'))).toEqual({ ok: true, size: 4_000_000 });
  });
});
