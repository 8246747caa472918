import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

/**
 * The desktop app end to end: the real Electron shell, its in-process lab, the lab UI, and the FAPI
 * 2.0 flow driven through the UI's buttons (with the provider's login window).
 *
 * It needs an Electron binary, which cannot be downloaded on every machine. Presence is detected from
 * node_modules/electron/path.txt and node_modules/electron/dist — WITHOUT loading the `electron`
 * package, whose loading would itself try to download the binary. Where there is none, the test is
 * reported as skipped, never as passed.
 */
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function electronExecutable(): string | null {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

const executable = electronExecutable();

test.describe('desktop app (Electron)', () => {
  test.skip(
    executable === null,
    'no Electron binary in node_modules/electron/dist (its download is unavailable here)',
  );

  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
      throw new Error('out/main/index.js is missing: run `npm run build` before the end-to-end tests');
    }
    // The Electron build of better-sqlite3 (built once, then cached).
    const native = spawnSync(process.execPath, [join(root, 'scripts', 'ensure-native.mjs'), 'electron'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (native.status !== 0) throw new Error('scripts/ensure-native.mjs electron failed');

    userData = mkdtempSync(join(tmpdir(), 'trusty-lab-e2e-'));
    app = await electron.launch({
      executablePath: executable ?? undefined,
      args: [root, `--user-data-dir=${userData}`],
      cwd: root,
      // userData (and so the lab's data directory) in a throwaway place, whatever the platform honours.
      env: { ...process.env, NODE_ENV: 'production', XDG_CONFIG_HOME: userData },
    });
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('opens one window on the lab origin, without the secret in the URL', async () => {
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(page.url()).not.toContain('secret');
    await expect(page.getByRole('heading', { name: 'Demo client' })).toBeVisible({ timeout: 30_000 });
  });

  test('the window is locked down and the bridge holds exactly the contract', async () => {
    // No Node in the page (nodeIntegration off, contextIsolation on), only the bridge.
    const renderer = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys(window.trustyLab ?? {}).sort(),
    }));
    expect(renderer.require).toBe('undefined');
    expect(renderer.process).toBe('undefined');
    expect(renderer.bridge).toEqual(
      [
        'labSecret',
        'labUrl',
        'onMenuCommand',
        'openRecordingDialog',
        'revealDataDirectory',
        'saveRecordingDialog',
        'version',
      ].sort(),
    );
    expect(
      await page.evaluate(async () => (await window.trustyLab?.labSecret())?.length ?? 0),
    ).toBeGreaterThan(16);
  });

  test('the CSP blocks inline script and navigation away from the lab is refused', async () => {
    const inlineRan = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(inlineRan).toBe(false);
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'file:///etc/hosts';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
  });

  test('runs the FAPI 2.0 flow from the UI, through the provider login window', async () => {
    test.setTimeout(180_000);
    await page.getByRole('radio', { name: /FAPI 2\.0/ }).click();
    const step = (id: string) => page.locator(`[data-step="${id}"]`);
    const runNext = page.getByRole('button', { name: 'Run next step' });

    for (const id of ['discover', 'par']) {
      if ((await step(id).count()) === 0) continue;
      await runNext.click();
      await expect(step(id)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    }

    const popupOpened = app.waitForEvent('window');
    await runNext.click();
    const login = await popupOpened;
    await login.waitForLoadState();
    expect(new URL(login.url()).pathname).not.toBe('/');
    // The provider's page gets no bridge, even though it was opened by the lab window.
    expect(await login.evaluate(() => typeof window.trustyLab)).toBe('undefined');
    await login.locator('input[name="username"]').fill('alice');
    await login.locator('input[name="password"]').fill('wonderland');
    await login.locator('button[type="submit"]').click();
    const allow = login.locator('button[name="decision"][value="allow"]');
    // Consent is asked once per client and user; it may not come.
    const consentAsked = await allow.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (consentAsked) await allow.click();
    await expect(step('authorize')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

    for (const id of ['token', 'userinfo', 'resource']) {
      if ((await step(id).count()) === 0) continue;
      await runNext.click();
      await expect(step(id)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    }
  });
});
