import { existsSync } from 'node:fs';

/**
 * How Chromium is launched for the end-to-end tests (playwright.config.ts) and the lab-UI part of
 * the benchmark: Debian's /usr/bin/chromium where it exists (Playwright's download is not reachable
 * on every machine), headless and quiet; otherwise Playwright's own browser with its defaults.
 */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export function chromiumLaunchOptions(): { executablePath?: string; args?: string[] } {
  if (!existsSync(SYSTEM_CHROMIUM)) return {};
  return {
    executablePath: SYSTEM_CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}
