import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium-launch';
import { httpOnce } from './http-once';
import { startServer } from './server-process';
import { median, percentile } from './stats';

/*
 * The inspector's budget: with 1,000 exchanges in the session, an append costs under 16 ms of
 * main-thread time (one frame) and opening an exchange's details under 50 ms (checkUiTargets). The UI
 * marks both with User Timing (`lab:append`, `lab:detail-open`, see inspector-store); this part of the
 * benchmark drives the real lab in Chromium and reads them.
 */

export interface UiSamples {
  readonly samples: number[];
  readonly median: number;
  readonly p90: number;
  readonly max: number;
}

export interface UiBenchResult {
  readonly browser: string;
  /** Exchanges in the session before the first sample. */
  readonly exchanges: number;
  /** Rows the diagram showed then (an exchange is a request and a response arrow). */
  readonly rows: number;
  readonly appendMs: UiSamples;
  readonly detailOpenMs: UiSamples;
}

export interface UiBenchOptions {
  /** Appends and detail openings measured (each). */
  readonly samples: number;
  /** Exchanges put in the session first. */
  readonly exchanges: number;
  readonly configFile: string;
  /** The server's node options (the bench's resolved serverNodeOptions). */
  readonly nodeArgs: readonly string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function summarizeUiSamples(samples: readonly number[]): UiSamples {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: [...samples],
    median: median(sorted),
    p90: percentile(sorted, 90),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** No browser to drive here: the UI part is skipped, not failed. */
export class BrowserUnavailableError extends Error {}

/** Chromium as the end-to-end tests launch it (chromiumLaunchOptions). */
async function launchChromium(): Promise<Browser> {
  try {
    const { chromium } = await import('@playwright/test');
    return await chromium.launch({ headless: true, ...chromiumLaunchOptions() });
  } catch (e) {
    throw new BrowserUnavailableError(`no Chromium to drive: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The last User Timing measure of that name, or null. */
function lastMeasure(page: Page, name: string): Promise<number | null> {
  return page.evaluate((n) => {
    const entries = performance.getEntriesByName(n, 'measure');
    return entries.at(-1)?.duration ?? null;
  }, name);
}

async function waitForMeasure(page: Page, name: string, timeoutMs = 10_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await lastMeasure(page, name);
    if (value !== null) return value;
    if (performance.now() > deadline) throw new Error(`the lab UI recorded no ${name} measure`);
    await sleep(5);
  }
}

/** Rows the diagram says it shows (its accessible name ends in "N rows."). */
async function diagramRows(page: Page): Promise<number> {
  const label = (await page.getByTestId('sequence-diagram').getAttribute('aria-label')) ?? '';
  return Number(/: (\d+) rows/.exec(label)?.[1] ?? 0);
}

/**
 * Starts a lab (capture on, throwaway database), opens its UI in Chromium, fills the session with
 * `exchanges` discovery exchanges, then measures `samples` appends and `samples` detail openings.
 */
export async function runUiBench(options: UiBenchOptions): Promise<UiBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'trusty-bench-ui-'));
  const urlFile = join(dir, 'lab-url');
  const server = await startServer({
    dataDir: join(dir, 'data'),
    configFile: options.configFile,
    capture: true,
    nodeArgs: options.nodeArgs,
    extraArgs: ['--lab-port', '0', '--lab-url-file', urlFile],
  });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const opened = await page.goto(readFileSync(urlFile, 'utf8').trim());
    // A build without the lab UI (out/renderer) serves no page; say that rather than time out later.
    if (!opened?.ok()) {
      throw new Error(`the lab UI page answered HTTP ${opened?.status() ?? '(nothing)'}: is the UI built?`);
    }
    await page.getByRole('status').filter({ hasText: 'live' }).waitFor();
    await page.getByRole('tab', { name: 'Inspector' }).click();

    const discovery = { method: 'GET', path: '/.well-known/openid-configuration', headers: {} } as const;
    for (let sent = 0; sent < options.exchanges; sent += 50) {
      await Promise.all(Array.from({ length: 50 }, () => httpOnce(server.issuer, discovery)));
    }
    // Settled: every exchange is in the diagram (a request and a response row each), and nothing is
    // still arriving.
    const deadline = performance.now() + 60_000;
    let rows = 0;
    for (let last = -1; rows < 2 * options.exchanges || rows !== last; await sleep(200)) {
      if (performance.now() > deadline) throw new Error('the diagram did not settle in time');
      last = rows;
      rows = await diagramRows(page);
    }

    const append: number[] = [];
    for (let i = 0; i < options.samples; i++) {
      await page.evaluate(() => performance.clearMeasures());
      await httpOnce(server.issuer, discovery);
      append.push(await waitForMeasure(page, 'lab:append'));
    }

    // Rows near the bottom (the ones in view) in turn, details closed in between: each click opens.
    const diagram = page.getByTestId('sequence-diagram');
    await diagram.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const requestRows = page.locator('[role="option"][aria-label^="Request"]');
    const inView = await requestRows.count();
    if (inView < 2) throw new Error('the diagram shows fewer than two request rows');
    const detail: number[] = [];
    for (let i = 0; i < options.samples; i++) {
      await page.evaluate(() => performance.clearMeasures());
      await requestRows.nth(inView - 1 - (i % Math.min(inView, 10))).click();
      detail.push(await waitForMeasure(page, 'lab:detail-open'));
      await page.keyboard.press('Escape');
      await page.getByTestId('detail-panel').waitFor({ state: 'hidden' });
    }
    return {
      browser: browser.version(),
      exchanges: options.exchanges,
      rows,
      appendMs: summarizeUiSamples(append),
      detailOpenMs: summarizeUiSamples(detail),
    };
  } finally {
    await browser?.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
