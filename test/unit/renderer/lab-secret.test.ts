import { describe, expect, it } from 'vitest';
import {
  acquireLabSecret,
  fragmentWithoutSecret,
  SECRET_STORAGE_KEY,
  secretFromFragment,
} from '../../../src/renderer/lab/lab-secret';

function sources(hash: string, stored: string | null = null, bridge?: { labSecret(): Promise<string> }) {
  const storage = new Map<string, string>();
  if (stored) storage.set(SECRET_STORAGE_KEY, stored);
  const replaced: string[] = [];
  return {
    replaced,
    storage,
    value: {
      bridge,
      location: { hash, pathname: '/', search: '?x=1' },
      history: {
        replaceState: (_d: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)),
      },
      storage: {
        getItem: (k: string) => storage.get(k) ?? null,
        setItem: (k: string, v: string) => void storage.set(k, v),
      },
    },
  };
}

describe('lab secret', () => {
  it('reads the secret from the fragment and keeps the rest of it', () => {
    expect(secretFromFragment('#secret=abc%2Fdef&tab=inspector')).toBe('abc/def');
    expect(secretFromFragment('#tab=x')).toBeNull();
    expect(secretFromFragment('')).toBeNull();
    expect(fragmentWithoutSecret('#secret=abc&tab=inspector')).toBe('#tab=inspector');
    expect(fragmentWithoutSecret('#secret=abc')).toBe('');
  });

  it('moves a fragment secret to sessionStorage and strips it from the address bar', async () => {
    const s = sources('#secret=s3cr3t');
    expect(await acquireLabSecret(s.value)).toBe('s3cr3t');
    expect(s.storage.get(SECRET_STORAGE_KEY)).toBe('s3cr3t');
    expect(s.replaced).toEqual(['/?x=1']);
  });

  it('falls back to sessionStorage after a reload, and to null without either', async () => {
    expect(await acquireLabSecret(sources('', 'stored').value)).toBe('stored');
    expect(await acquireLabSecret(sources('').value)).toBeNull();
  });

  it('prefers the desktop bridge and leaves the URL alone', async () => {
    const s = sources('#secret=from-url', null, { labSecret: async () => 'from-bridge' });
    expect(await acquireLabSecret(s.value)).toBe('from-bridge');
    expect(s.replaced).toEqual([]);
    expect(s.storage.size).toBe(0);
  });
});
