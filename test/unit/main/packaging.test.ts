import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const require = createRequire(join(root, 'package.json'));

/** js-yaml and ajv come with electron-builder (not direct dependencies): resolved, not assumed. */
function optional<T>(name: string): T | null {
  try {
    return require(name) as T;
  } catch {
    return null;
  }
}
const yaml = optional<{ load(text: string): unknown }>('js-yaml');
const Ajv =
  optional<new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } }>(
    'ajv',
  );

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  extraResources: Array<{ from: string; to: string; filter: string[] }>;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; category: string; icon: string };
  mac: { target: string[]; icon: string; entitlements: string };
  win: { target: string[]; icon: string };
}

describe.skipIf(!yaml)('electron-builder.yml', () => {
  const config = yaml!.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

  it('names the app and ships only the build, package.json, resources and the documentation', () => {
    expect(config.productName).toBe('TRusTY Lab');
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
    expect(config.files.filter((f) => !f.startsWith('!'))).toEqual([
      'out/**',
      'package.json',
      'resources/**',
      'README.md',
      'docs/**',
    ]);
  });

  it('targets AppImage and deb (Development), dmg and nsis, with the icon that exists', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Development');
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon])
      expect(existsSync(join(root, icon))).toBe(true);
    expect(existsSync(join(root, config.mac.entitlements))).toBe(true);
  });

  it('never rebuilds node_modules for Electron, and ships the cached Electron SQLite binding unpacked', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.extraResources).toContainEqual({
      from: '.cache/electron-native',
      to: 'native',
      filter: ['*/better_sqlite3.node'],
    });
  });

  it('turns off the fuses that would make the binary a general-purpose Node', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it.skipIf(!Ajv)("is valid against electron-builder's own schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv!({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...config, notAnOption: true })).toBe(false);
  });
});

describe('icon', () => {
  it('is an original SVG and a 512x512 PNG rendered from it', () => {
    const svg = readFileSync(join(root, 'resources/icons/icon.svg'), 'utf8');
    expect(svg).toMatch(/<svg[^>]*viewBox="0 0 512 512"/);
    const png = readFileSync(join(root, 'resources/icons/icon-512.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});
