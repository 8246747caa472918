import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearDirectoryContents } from '../../../src/main/clear-directory';
import { labConfigPath, userDataPaths } from '../../../src/main/user-data-paths';

describe('userDataPaths', () => {
  it('keeps the lab data in its own subdirectory of userData', () => {
    const paths = userDataPaths('/home/u/.config/TRusTY Lab');
    expect(paths.dataDir).toBe('/home/u/.config/TRusTY Lab/lab-data');
    expect(paths.windowStateFile).toBe('/home/u/.config/TRusTY Lab/window-state.json');
    // Reset empties dataDir: the window state must not be inside it.
    expect(paths.windowStateFile.startsWith(`${paths.dataDir}/`)).toBe(false);
  });
  it("prefers the user's configuration file over the bundled default", () => {
    const paths = userDataPaths('/u');
    expect(labConfigPath(paths, '/app', () => true)).toBe('/u/lab-config.json');
    expect(labConfigPath(paths, '/app', () => false)).toBe('/app/resources/lab-config.json');
  });
});

describe('clearDirectoryContents', () => {
  let root = '';
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('deletes files and subdirectories but keeps the directory', async () => {
    root = await mkdtemp(join(tmpdir(), 'trusty-clear-'));
    const dir = join(root, 'lab-data');
    await mkdir(join(dir, 'keys'), { recursive: true });
    await writeFile(join(dir, 'lab.sqlite'), 'db');
    await writeFile(join(dir, 'keys', 'k.json'), '{}');
    await clearDirectoryContents(dir);
    expect(await readdir(dir)).toEqual([]);
  });
  it('removes a link inside without following it', async () => {
    root = await mkdtemp(join(tmpdir(), 'trusty-clear-'));
    const outside = join(root, 'outside');
    const dir = join(root, 'lab-data');
    await mkdir(outside);
    await mkdir(dir);
    await writeFile(join(outside, 'precious.txt'), 'keep me');
    await symlink(outside, join(dir, 'link'));
    await clearDirectoryContents(dir);
    expect(await readdir(dir)).toEqual([]);
    expect(await readdir(outside)).toEqual(['precious.txt']);
  });
  it('refuses a directory that is itself a link', async () => {
    root = await mkdtemp(join(tmpdir(), 'trusty-clear-'));
    const outside = join(root, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'precious.txt'), 'keep me');
    await symlink(outside, join(root, 'lab-data'));
    await expect(clearDirectoryContents(join(root, 'lab-data'))).rejects.toThrow();
    expect(await readdir(outside)).toEqual(['precious.txt']);
  });
  it('creates a missing directory', async () => {
    root = await mkdtemp(join(tmpdir(), 'trusty-clear-'));
    await clearDirectoryContents(join(root, 'new'));
    expect(await readdir(join(root, 'new'))).toEqual([]);
  });
  it('refuses relative paths and filesystem roots', async () => {
    await expect(clearDirectoryContents('lab-data')).rejects.toThrow(/absolute/);
    await expect(clearDirectoryContents('/')).rejects.toThrow(/root/);
  });
});
