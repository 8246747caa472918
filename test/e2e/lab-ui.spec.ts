import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { issuer, labSecret } from './support/lab-env';
import { actAsUser, diagramRows, expectInOrder, openLab, pickMode, runWholeFlow } from './support/lab-page';

/** Serious or critical accessibility violations on the page as it is. */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test.describe.configure({ mode: 'serial' });

test.describe('lab UI in web mode', () => {
  const cspErrors: string[] = [];

  test.beforeEach(async ({ page }) => {
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
        cspErrors.push(message.text());
      }
    });
  });

  test.afterEach(() => {
    // The production bundle runs under the lab's `script-src 'self'` without eval or inline script.
    expect(cspErrors).toEqual([]);
  });

  test('strips the secret from the address bar', async ({ page }) => {
    await openLab(page);
    expect(page.url()).not.toContain('secret=');
    await expect(page.getByRole('heading', { name: 'Demo client' })).toBeVisible();
  });

  test('runs the whole standard flow from the UI, login in the popup included', async ({
    page,
    context,
  }, testInfo) => {
    const stop = actAsUser(context);
    await openLab(page);
    await pickMode(page, 'Standard');
    await page.screenshot({ path: testInfo.outputPath('01-demo-client.png') });
    await runWholeFlow(page);
    stop();
    await expect(page.locator('[data-token="access_token"]')).toBeVisible();
    await expect(page.locator('[data-token="id_token"]').getByText('signature verified')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('02-standard-flow-done.png') });

    await page.getByRole('tab', { name: 'Inspector' }).click();
    const rows = await diagramRows(page);
    expectInOrder(rows, [
      /openid-configuration/,
      /GET \/authorize/,
      /POST \/token/,
      /\/userinfo/,
      /\/api\/accounts/,
      /POST \/token/,
      /\/introspect/,
      /\/revoke/,
      /\/end_session/,
    ]);
    // Standard mode pushes nothing and proves nothing.
    expect(rows.some((r) => /POST \/par/.test(r.label))).toBe(false);
    await page.screenshot({ path: testInfo.outputPath('03-inspector-standard.png') });
  });

  test('runs the whole FAPI 2.0 flow and shows the DPoP proof checks of the token request', async ({
    page,
    context,
  }, testInfo) => {
    const stop = actAsUser(context);
    await openLab(page);
    await pickMode(page, 'FAPI 2.0');
    await runWholeFlow(page);
    stop();
    await expect(page.getByTestId('jkt-match')).toContainText('bound to this client’s DPoP key');
    await page.screenshot({ path: testInfo.outputPath('04-fapi-flow-done.png') });

    await page.getByRole('tab', { name: 'Inspector' }).click();
    // Only this flow: the recording it started is the current one.
    await page.getByTestId('recording-filter').selectOption({ index: 1 });
    const rows = await diagramRows(page);
    expectInOrder(rows, [
      /openid-configuration/,
      /POST \/par/,
      /GET \/authorize/,
      /POST \/token/,
      /\/userinfo/,
      /\/api\/accounts/,
      /POST \/token/,
      /\/introspect/,
      /\/revoke/,
      /\/end_session/,
    ]);

    // Open the first token request (the code exchange).
    await page.getByRole('searchbox').fill('POST /token');
    const tokenRow = page.locator('[role="option"][aria-label^="Request"]').first();
    await tokenRow.click();
    const detail = page.getByTestId('detail-panel');
    await expect(detail).toBeVisible();
    const checks = detail.getByTestId('checks');
    const dpopPassed = checks.locator('li[data-outcome="passed"]', { hasText: 'RFC 9449' });
    await expect(dpopPassed.first()).toBeVisible();
    expect(await dpopPassed.count()).toBeGreaterThanOrEqual(5);
    await expect(checks.locator('li[data-outcome="failed"]')).toHaveCount(0);
    // The proof against its request: htm and htu match.
    const match = detail.getByRole('table', { name: 'DPoP proof compared with its request' });
    await expect(match.getByRole('row', { name: /^htm/ })).toContainText('✓ matches');
    await expect(match.getByRole('row', { name: /^htu/ })).toContainText('✓ matches');
    await page.screenshot({ path: testInfo.outputPath('05-token-request-details.png') });

    // Keyboard: Escape closes the details.
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();
  });

  test('runs the client credentials flow of the machine-to-machine client, without a user', async ({
    page,
  }) => {
    await openLab(page);
    await pickMode(page, 'FAPI 2.0');
    await page.getByRole('combobox', { name: 'Client' }).selectOption('demo-service');
    await expect(page.locator('ol.steps > li')).toHaveCount(5);
    await runWholeFlow(page);
    await expect(page.locator('[data-token="access_token"]')).toBeVisible();

    await page.getByRole('tab', { name: 'Inspector' }).click();
    await page.getByTestId('recording-filter').selectOption({ index: 1 });
    const rows = await diagramRows(page);
    expectInOrder(rows, [
      /openid-configuration/,
      /POST \/token/,
      /\/api\/accounts/,
      /\/introspect/,
      /\/revoke/,
    ]);
    // No user: no authorization request, no popup.
    expect(rows.some((r) => /\/authorize|\/par/.test(r.label))).toBe(false);
  });

  test('exports a recording as a downloadable file that parses', async ({ page }) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await page.getByRole('combobox', { name: 'Export format' }).selectOption('json');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    const path = await download.path();
    const recording = JSON.parse(readFileSync(path, 'utf8')) as { schemaVersion: number; events: unknown[] };
    expect(recording.schemaVersion).toBe(1);
    expect(Array.isArray(recording.events)).toBe(true);

    await page.getByRole('combobox', { name: 'Export format' }).selectOption('har');
    const [har] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    const harJson = JSON.parse(readFileSync(await har.path(), 'utf8')) as { log: { version: string } };
    expect(harJson.log.version).toBe('1.2');
  });

  test('imports a recording from a file and opens it; a file that is not one is refused with its reason', async ({
    page,
  }) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'Inspector' }).click();
    const at = Date.now();
    const recording = {
      schemaVersion: 1,
      id: 'elsewhere',
      name: 'From a colleague',
      createdAt: at,
      events: [{ type: 'note', id: 'n1', at, text: 'A note from another lab' }],
    };
    const file = (name: string, value: unknown) => ({
      name,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(value)),
    });
    const input = page.getByLabel('Import a recording (JSON)');
    const toasts = page.locator('.toast-region');

    await input.setInputFiles(file('flow.json', recording));
    await expect(toasts).toContainText('Imported “From a colleague” (1 event).');
    await expect(page.getByRole('combobox', { name: 'Recording' })).toContainText('From a colleague (1)');
    await expect(page.getByText('A note from another lab')).toBeVisible();

    await input.setInputFiles(file('broken.json', { ...recording, events: [{ type: 'note', id: 'n1' }] }));
    await expect(toasts).toContainText(/Import failed: .*not a TRusTY Lab recording.*events\[0\]\.at/s);
  });

  test('previews the flow as Mermaid (lazy-loaded, under the CSP) and switches to the dark theme', async ({
    page,
  }, testInfo) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await page.getByRole('button', { name: 'View as Mermaid' }).click();
    const dialog = page.getByRole('dialog', { name: 'This flow as Mermaid' });
    await expect(dialog.locator('.mermaid-svg svg')).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: testInfo.outputPath('07-mermaid-preview.png') });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    await page.getByRole('button', { name: 'Toggle light or dark theme' }).click();
    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    expect(theme === 'dark' || theme === 'light').toBe(true);
    if (theme === 'light') await page.getByRole('button', { name: 'Toggle light or dark theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(15, 18, 24)'); // --bg, dark: #0f1218
    await page.screenshot({ path: testInfo.outputPath('08-inspector-dark.png') });
    // The toggle wins over the system's preference, both ways; 'system' follows it.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    expect(await background()).toBe('rgb(246, 247, 251)'); // --bg, light: #f6f7fb
    await page.evaluate(() => delete document.documentElement.dataset.theme);
    expect(await background()).toBe('rgb(15, 18, 24)');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(246, 247, 251)');
  });

  test('presenter mode holds the request until Send', async ({ page }, testInfo) => {
    await openLab(page);
    await pickMode(page, 'FAPI 2.0');
    await page.getByLabel('Presenter mode').check();
    await page.getByLabel('Hide secrets').check();
    await page.getByRole('button', { name: 'Run next step' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('GET');
    await expect(dialog).toContainText('openid-configuration');
    await page.screenshot({ path: testInfo.outputPath('06-presenter.png') });
    await dialog.getByRole('button', { name: 'Send' }).click();
    await expect(page.locator('li[data-step="discover"]')).toHaveAttribute('data-status', 'done');
  });

  test('has no serious or critical accessibility violations', async ({ page }) => {
    await openLab(page);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: 'Inspector' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    // Keyboard: focus the diagram, move with arrows, open with Enter.
    await page.getByTestId('sequence-diagram').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    if (await page.getByTestId('detail-panel').isVisible()) {
      expect(await seriousViolations(page)).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('runs scenarios from the Scenarios tab, each result one click from its recording', async ({
    page,
  }, testInfo) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'Scenarios' }).click();
    const pkce = page.getByRole('region', { name: /^PKCE/ });
    await expect(pkce).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await pkce.getByRole('button', { name: 'Run category' }).click();
    const wrongVerifier = page.locator('li[data-scenario-id="pkce-wrong-verifier"]');
    await expect(wrongVerifier.locator('[data-outcome]')).toHaveAttribute('data-outcome', 'pass', {
      timeout: 30_000,
    });
    await expect(wrongVerifier).toContainText('expected 400 invalid_grant');
    await expect(wrongVerifier).toContainText('actual 400 invalid_grant');
    await expect(pkce.locator('[data-outcome="pass"]')).toHaveCount(6);
    await page.screenshot({ path: testInfo.outputPath('09-scenarios.png') });

    // The result opens its recording in the inspector, on the exchange whose check failed.
    await wrongVerifier.getByRole('button', { name: 'Open recording' }).click();
    await expect(page.getByRole('tab', { name: 'Inspector' })).toHaveAttribute('aria-selected', 'true');
    const detail = page.getByTestId('detail-panel');
    await expect(detail).toBeVisible();
    const failed = detail.locator('li.check[data-outcome="failed"]');
    await expect(failed).toHaveCount(1);
    await expect(failed).toContainText('RFC 7636');
    // The failure is named at the top of the checks, without scrolling.
    await expect(detail.getByTestId('failed-summary')).toContainText('RFC 7636');
    await page.screenshot({ path: testInfo.outputPath('10-scenario-recording.png') });
  });

  // Its speed (under 16 ms per append, under 50 ms to open details) is measured by `npm run bench`,
  // on many samples: this test checks the behaviour at that size, and that the timings are taken.
  test('keeps a 1,000-exchange diagram live, and opens the details of the newest exchange', async ({
    page,
    request,
  }) => {
    await openLab(page);
    await page.getByRole('tab', { name: 'Inspector' }).click();
    const discovery = `${issuer()}/.well-known/openid-configuration`;
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => request.get(discovery)));
    }
    const rows = async () => {
      const label = (await page.getByTestId('sequence-diagram').getAttribute('aria-label')) ?? '';
      return Number(/: (\d+) rows/.exec(label)?.[1] ?? 0);
    };
    await expect.poll(rows, { timeout: 30_000 }).toBeGreaterThanOrEqual(2000);
    // Settled: two reads half a second apart agree.
    let lastRead = -1;
    const unchanged = async () => {
      const now = await rows();
      const same = now === lastRead;
      lastRead = now;
      return same;
    };
    await expect.poll(unchanged, { intervals: [500], timeout: 30_000 }).toBe(true);
    const before = await rows();
    const measures = (name: string) =>
      page.evaluate((n) => performance.getEntriesByName(n, 'measure').length, name);
    await page.evaluate(() => performance.clearMeasures());

    // The newest exchange is another endpoint's, so that its arrow and details are told apart.
    const { jwks_uri: jwksUri } = (await (await request.get(discovery)).json()) as { jwks_uri: string };
    await expect.poll(rows).toBe(before + 2);
    const newest = await request.get(jwksUri);
    expect(newest.status()).toBe(200);
    await expect.poll(rows).toBe(before + 4);
    expect(await measures('lab:append')).toBeGreaterThan(0);

    // Following live: the newest arrow is in view without scrolling, and opens its own details.
    const last = page.locator('[role="option"][aria-label^="Request"]').last();
    const jwksPath = new URL(jwksUri).pathname;
    await expect(last).toHaveAttribute('aria-label', new RegExp(`\\(GET ${jwksPath}\\)`));
    await last.click();
    const detail = page.getByTestId('detail-panel');
    await expect(detail).toBeVisible();
    await expect(detail).toContainText(jwksPath);
    expect(await measures('lab:detail-open')).toBe(1);
  });

  test('the lab API refuses calls without the secret', async ({ request, page }) => {
    await openLab(page);
    const origin = new URL(page.url()).origin;
    expect((await request.get(`${origin}/lab/api/session`)).status()).toBe(401);
    const ok = await request.get(`${origin}/lab/api/session`, {
      headers: { Authorization: `Bearer ${labSecret()}` },
    });
    expect(ok.status()).toBe(200);
  });

  test('a flow goes on across two key rotations in a row (its JWKS fetched again past the browser cache)', async ({
    page,
    context,
    request,
  }) => {
    const stop = actAsUser(context);
    await openLab(page);
    await pickMode(page, 'Standard');
    const steps = page.locator('ol.steps > li');
    // Up to the code exchange: the client holds the provider's JWKS (cacheable for 60 s) and an ID token.
    const exchange = await steps.evaluateAll((items) =>
      items.findIndex((li) => /Exchange the code/.test(li.textContent ?? '')),
    );
    for (let i = 0; i <= exchange; i++) {
      await page.getByRole('button', { name: 'Run next step' }).click();
      await expect(steps.nth(i)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    }
    // The key published at the first rotation signs after the second: the client's copy lacks it.
    const origin = new URL(page.url()).origin;
    for (let i = 0; i < 2; i++) {
      const rotated = await request.post(`${origin}/lab/api/keys/rotate`, {
        headers: { Authorization: `Bearer ${labSecret()}` },
      });
      expect(rotated.ok()).toBe(true);
    }
    await runWholeFlow(page);
    stop();
  });
});
