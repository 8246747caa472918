/**
 * Where the lab UI finds the per-launch lab API secret: the preload bridge in the desktop app, or
 * the URL fragment it was opened with in web mode (`#secret=…`). A fragment never reaches a server
 * or a Referer; it is moved to sessionStorage (this tab only) and removed from the address bar so it
 * does not end up in screenshots, bookmarks or the history.
 */
export const SECRET_STORAGE_KEY = 'trusty-lab.secret';

export function secretFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const secret = params.get('secret');
  return secret && secret.length > 0 ? secret : null;
}

/** The fragment without its `secret` parameter ('' when nothing else is left). */
export function fragmentWithoutSecret(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete('secret');
  const rest = params.toString();
  return rest ? `#${rest}` : '';
}

export interface SecretSources {
  bridge: { labSecret(): Promise<string> } | undefined;
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

export async function acquireLabSecret(sources: SecretSources): Promise<string | null> {
  if (sources.bridge) return sources.bridge.labSecret();
  const fromFragment = secretFromFragment(sources.location.hash);
  if (fromFragment) {
    sources.storage.setItem(SECRET_STORAGE_KEY, fromFragment);
    const { pathname, search, hash } = sources.location;
    sources.history.replaceState(null, '', `${pathname}${search}${fragmentWithoutSecret(hash)}`);
    return fromFragment;
  }
  return sources.storage.getItem(SECRET_STORAGE_KEY);
}
