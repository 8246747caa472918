// Makes sure Playwright has a Chromium to drive before the end-to-end tests run.
// 1. Debian's /usr/bin/chromium (what playwright.config.ts prefers) — nothing to do.
// 2. Playwright's own downloaded Chromium — nothing to do.
// 3. Otherwise install one: as root with apt (`apt-get update`, then `apt-get install -y chromium`),
//    else `npx playwright install chromium`. Each command is printed before it runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

function say(message) {
  console.log(`[ensure-browser] ${message}`);
}

function run(command, args) {
  say(`running: ${command} ${args.join(' ')}`);
  execFileSync(command, args, { stdio: 'inherit' });
}

async function playwrightChromium() {
  try {
    const { chromium } = await import('@playwright/test');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

if (existsSync(SYSTEM_CHROMIUM)) {
  say(`using ${SYSTEM_CHROMIUM}`);
  process.exit(0);
}
const bundled = await playwrightChromium();
if (bundled) {
  say(`using Playwright's Chromium at ${bundled}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (isRoot && hasApt) {
  say('no Chromium found; installing Debian’s chromium with apt-get');
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', 'chromium']);
} else {
  say('no Chromium found; downloading Playwright’s Chromium');
  run('npx', ['playwright', 'install', 'chromium']);
}
say('done');
