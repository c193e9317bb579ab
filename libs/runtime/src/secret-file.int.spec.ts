import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSecretFile } from './secret-file';

describe('writeSecretFile', () => {
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'ledger-secret-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('leaves the secret readable by its owner only, and nothing else in the folder', () => {
    const file = join(folder, 'master.key');
    writeSecretFile(file, 'a secret');
    expect(readFileSync(file, 'utf8')).toBe('a secret\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder)).toEqual(['master.key']);
  });

  it('never replaces a file already there, and leaves no half-written file behind', () => {
    const file = join(folder, 'master.key');
    writeFileSync(file, 'the first\n');
    expect(() => writeSecretFile(file, 'a second')).toThrow(
      expect.objectContaining({ code: 'EEXIST' }),
    );
    expect(readFileSync(file, 'utf8')).toBe('the first\n');
    expect(readdirSync(folder)).toEqual(['master.key']);
  });
});
