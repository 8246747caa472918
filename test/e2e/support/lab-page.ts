import { expect, type BrowserContext, type Page } from '@playwright/test';
import { issuer, labUrl } from './lab-env';

/** Opens the lab UI with its secret and waits for the live event stream. */
export async function openLab(page: Page, url = labUrl()): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('status').filter({ hasText: 'live' })).toBeVisible();
}

/**
 * Answers the provider's pages in every popup the lab opens: the login form (alice / wonderland),
 * the consent form (allow) and any logout confirmation — as a person would, by filling and clicking.
 */
export function actAsUser(
  context: BrowserContext,
  user = { username: 'alice', password: 'wonderland' },
  provider = issuer(),
): () => void {
  const origin = new URL(provider).origin;
  const handled = new WeakSet<Page>();
  const onPage = (popup: Page) => {
    if (handled.has(popup)) return;
    handled.add(popup);
    void (async () => {
      for (let i = 0; i < 10 && !popup.isClosed(); i++) {
        try {
          await popup.waitForLoadState('domcontentloaded');
          if (!popup.url().startsWith(origin)) {
            await popup.waitForEvent('framenavigated', { timeout: 5000 }).catch(() => undefined);
            continue;
          }
          const username = popup.locator('input[name="username"]');
          const allow = popup.locator('button[name="decision"][value="allow"]');
          const submit = popup.locator('form button[type="submit"], form input[type="submit"]');
          if (await username.count()) {
            await username.fill(user.username);
            await popup.locator('input[name="password"]').fill(user.password);
            await Promise.all([
              popup.waitForEvent('framenavigated'),
              popup.locator('input[name="password"]').press('Enter'),
            ]);
          } else if (await allow.count()) {
            await Promise.all([popup.waitForEvent('framenavigated'), allow.click()]);
          } else if (await submit.count()) {
            await Promise.all([popup.waitForEvent('framenavigated'), submit.first().click()]);
          } else {
            await popup.waitForEvent('framenavigated', { timeout: 5000 }).catch(() => undefined);
          }
        } catch {
          // The popup closed itself (the callback page) or navigated meanwhile.
        }
      }
    })();
  };
  context.on('page', onPage);
  return () => context.off('page', onPage);
}

export async function pickMode(page: Page, mode: 'Standard' | 'FAPI 2.0'): Promise<void> {
  await page.getByRole('radio', { name: new RegExp(`^${mode.replace('.', '\\.')}`) }).click();
}

/**
 * Runs every step and waits until each one is done, or fails at the first failed step with its text.
 * Only locator assertions here: Playwright retries their evaluations when the browser drops one (a
 * collected promise, a context torn down), where a hand-written poll of evaluateAll failed the test.
 */
export async function runWholeFlow(page: Page): Promise<void> {
  const failed = page.locator('ol.steps > li[data-status="failed"]');
  const allDone = page.locator('ol.steps:has(> li):not(:has(> li:not([data-status="done"])))');
  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(failed.or(allDone).first()).toBeAttached({ timeout: 60_000 });
  // Settled by now: the short timeout only leaves room to retry a dropped evaluation.
  await expect(failed, 'no step failed').toHaveText([], { timeout: 1_000 });
}

/**
 * `read()`, tried again when Chromium drops the evaluation's promise (the error runWholeFlow's
 * locator assertions retry on their own). Only for reads that give the same answer however often
 * they run.
 */
async function retryingDropped<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (e) {
      if (attempt >= 3 || !String(e).includes('Resulting promise was garbage collected')) throw e;
    }
  }
}

/** Every row of the (virtualised) diagram, in order, read by scrolling it through. */
export async function diagramRows(page: Page): Promise<{ id: string; label: string }[]> {
  const list = page.getByTestId('sequence-diagram').first();
  const seen = new Map<string, { id: string; label: string; top: number }>();
  let scrollTop = 0;
  for (let i = 0; i < 200; i++) {
    // Each step scrolls to a position and reads what is drawn there, so either may run twice.
    await retryingDropped(() => list.evaluate((el, top) => (el.scrollTop = top), scrollTop));
    if (i > 0) await page.waitForTimeout(50);
    const view = await retryingDropped(() =>
      list.evaluate((el) => ({
        rows: [...el.querySelectorAll('[role="option"]')].map((o) => ({
          id: o.id,
          label: o.getAttribute('aria-label') ?? '',
          top: parseFloat((o as HTMLElement).style.top),
        })),
        atEnd: el.scrollTop + el.clientHeight >= el.scrollHeight - 1,
        next: el.scrollTop + el.clientHeight,
      })),
    );
    for (const r of view.rows) seen.set(r.id, r);
    if (view.atEnd) break;
    scrollTop = view.next;
  }
  return [...seen.values()].sort((a, b) => a.top - b.top).map(({ id, label }) => ({ id, label }));
}

/** Index of the first request row after `from` whose label matches. */
export function indexOfRequest(rows: { label: string }[], pattern: RegExp, from = 0): number {
  for (let i = from; i < rows.length; i++) {
    const label = rows[i]?.label ?? '';
    if (label.startsWith('Request ') && pattern.test(label)) return i;
  }
  return -1;
}

/** Asserts that requests matching the patterns appear in this order. */
export function expectInOrder(rows: { label: string }[], patterns: RegExp[]): void {
  let at = 0;
  for (const pattern of patterns) {
    const i = indexOfRequest(rows, pattern, at);
    expect(
      i,
      `${pattern} after row ${at} in:\n${rows.map((r) => r.label).join('\n')}`,
    ).toBeGreaterThanOrEqual(0);
    at = i + 1;
  }
}
