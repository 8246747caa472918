import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './src/bench/chromium-launch';

/**
 * End-to-end tests drive the real lab in web mode (`trusty-lab serve`, started by the global setup)
 * in Chromium, launched as chromiumLaunchOptions says (Debian's where it exists).
 */

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './test/e2e/support/global-setup.ts',
  // One lab, one browser: the tests share the server and would race on its current recording.
  workers: 1,
  fullyParallel: false,
  // A retry would hide a flaky failure: none.
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    acceptDownloads: true,
    launchOptions: chromiumLaunchOptions(),
  },
});
