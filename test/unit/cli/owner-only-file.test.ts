import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeOwnerOnly } from '../../../src/cli/commands/owner-only-file';

describe('writeOwnerOnly', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'owner-only-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const writeText = (path: string) => writeOwnerOnly(path, (file) => void file.write('secret\n'));

  it('replaces a regular file with one only its owner can read', async () => {
    const path = join(dir, 'out.json');
    writeFileSync(path, 'old', { mode: 0o644 });
    await writeText(path);
    expect(readFileSync(path, 'utf8')).toBe('secret\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('does not write over a FIFO or a directory, and leaves nothing behind', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const directory = join(dir, 'sub');
    mkdirSync(directory);
    await expect(writeText(fifo)).rejects.toThrow(/not a regular file/);
    await expect(writeText(directory)).rejects.toThrow(/not a regular file/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(directory).isDirectory()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['fifo', 'sub']);
  });

  it('names a missing directory instead of failing on its temporary file', async () => {
    await expect(writeText(join(dir, 'missing', 'out.json'))).rejects.toThrow(
      /directory .*missing does not exist/,
    );
  });
});
