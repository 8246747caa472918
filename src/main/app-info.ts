export const PRODUCT_NAME = 'TRusTY Lab';

/** Help › Documentation opens the README shipped inside the app (no remote content). */
export const DOCUMENTATION_FILE = 'README.md';

export interface RuntimeVersions {
  app: string;
  electron?: string;
  chrome?: string;
  node: string;
}

/** The detail text of Help › About. */
export function aboutDetail(versions: RuntimeVersions, dataDir: string): string {
  return [
    `Version ${versions.app}`,
    `Electron ${versions.electron ?? 'n/a'} · Chromium ${versions.chrome ?? 'n/a'} · Node ${versions.node}`,
    '',
    'An OpenID Connect provider with the FAPI 2.0 Security Profile, a demo client and a live inspector.',
    '',
    `Data directory: ${dataDir}`,
  ].join('\n');
}
