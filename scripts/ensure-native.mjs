#!/usr/bin/env node
// Makes better-sqlite3 loadable in the runtime about to be used, without manual rebuild steps:
//
//   node scripts/ensure-native.mjs node      tests and web mode: node_modules/better-sqlite3 must
//                                            load in Node; `npm rebuild better-sqlite3` only if not.
//   node scripts/ensure-native.mjs electron  desktop: a second binary for Electron's ABI, built once
//                                            into .cache/electron-native/<electron version>/ from a
//                                            temporary copy of the package, so node_modules is never
//                                            touched and both orders (start then test, test then
//                                            start) work. The main process passes it to the server
//                                            as `sqliteNativeBinding` (src/main/native-binding.ts
//                                            holds the same path convention).
//
// It never loads the `electron` package (that would trigger Electron's binary download): the
// version comes from node_modules/electron/package.json.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  copyFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Same convention as electronNativeCacheRelativePath in src/main/native-binding.ts. */
export function electronNativeCachePath(root, electronVersion) {
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(electronVersion)) {
    throw new Error(`unexpected Electron version: ${electronVersion}`);
  }
  return join(root, '.cache', 'electron-native', electronVersion, 'better_sqlite3.node');
}

/** The installed Electron version, read from its package.json (never by loading the package). */
export function installedElectronVersion(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'));
  return String(pkg.version);
}

/** True when Node can open an in-memory database with the installed better-sqlite3. */
export function nodeBindingLoads(root) {
  const result = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: root,
    stdio: 'pipe',
    encoding: 'utf8',
  });
  return result.status === 0;
}

function run(command, args, options) {
  console.error(`ensure-native: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} exited with ${result.status}`);
}

export function ensureNode(root = projectRoot) {
  if (nodeBindingLoads(root)) return 'ok';
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, ['rebuild', 'better-sqlite3'], { cwd: root, shell: process.platform === 'win32' });
  if (!nodeBindingLoads(root)) throw new Error('better-sqlite3 still does not load in Node after a rebuild');
  return 'rebuilt';
}

export function ensureElectron(root = projectRoot) {
  const version = installedElectronVersion(root);
  const target = electronNativeCachePath(root, version);
  if (existsSync(target)) return { status: 'cached', path: target };

  const require = createRequire(join(root, 'package.json'));
  const packageDir = dirname(require.resolve('better-sqlite3/package.json'));
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  const work = mkdtempSync(join(tmpdir(), 'trusty-lab-electron-native-'));
  try {
    const copy = join(work, 'better-sqlite3');
    // The package's sources (binding.gyp, src/, deps/ with the SQLite amalgamation), not its Node build.
    const nodeBuild = join(packageDir, 'build');
    cpSync(packageDir, copy, {
      recursive: true,
      filter: (source) => source !== nodeBuild && !source.startsWith(`${nodeBuild}${sep}`),
    });
    run(
      process.execPath,
      [
        nodeGyp,
        'rebuild',
        '--release',
        `--target=${version}`,
        '--dist-url=https://electronjs.org/headers',
        '--runtime=electron',
        `--arch=${process.arch}`,
      ],
      { cwd: copy, env: { ...process.env, JOBS: process.env.JOBS ?? 'max' } },
    );
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(built)) throw new Error(`node-gyp finished but ${built} is missing`);
    mkdirSync(dirname(target), { recursive: true });
    // Copy beside, then rename: a build interrupted half-way never leaves a truncated cached binary.
    const partial = `${target}.${process.pid}.partial`;
    copyFileSync(built, partial);
    renameSync(partial, target);
    return { status: 'built', path: target };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(argv) {
  const mode = argv[2];
  try {
    if (mode === 'node') {
      const outcome = ensureNode();
      console.error(
        `ensure-native: better-sqlite3 loads in Node${outcome === 'rebuilt' ? ' (rebuilt)' : ''}`,
      );
    } else if (mode === 'electron') {
      const { status, path } = ensureElectron();
      console.error(`ensure-native: Electron binding ${status}: ${path}`);
    } else {
      console.error('usage: node scripts/ensure-native.mjs node|electron');
      process.exitCode = 2;
    }
  } catch (error) {
    console.error(`ensure-native: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main(process.argv);
