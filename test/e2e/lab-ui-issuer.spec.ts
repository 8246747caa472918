import { expect, test } from '@playwright/test';
import { freeLoopbackPort, startReverseProxy, type ReverseProxy } from '../support/reverse-proxy';
import { actAsUser, openLab, pickMode, runWholeFlow } from './support/lab-page';
import { serveLab, type ServedLab } from './support/serve-process';

/**
 * The lab UI's demo flows when the provider is reached through a reverse proxy and announces the
 * proxy's origin as its issuer (`serve --issuer`): discovery, the login popup, the token and resource
 * requests all go through the proxy.
 */
test.describe.configure({ mode: 'serial' });

test.describe('lab UI with the provider behind a reverse proxy (--issuer)', () => {
  let lab: ServedLab;
  let proxy: ReverseProxy;

  test.beforeAll(async () => {
    proxy = await startReverseProxy();
    const port = await freeLoopbackPort();
    proxy.target = new URL(`http://127.0.0.1:${port}`);
    lab = await serveLab(['--port', String(port), '--issuer', proxy.origin]);
  });
  test.afterAll(async () => {
    await lab?.stop();
    await proxy?.close();
  });

  test('runs the standard and the FAPI 2.0 flows through the proxy', async ({ page, context }) => {
    expect(lab.issuer).toBe(proxy.origin);
    const stop = actAsUser(context, undefined, lab.issuer);
    await openLab(page, lab.labUrl);
    await pickMode(page, 'Standard');
    await runWholeFlow(page);
    const afterStandard = proxy.forwarded;
    expect(afterStandard).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'New flow' }).click();
    await pickMode(page, 'FAPI 2.0');
    await runWholeFlow(page);
    expect(proxy.forwarded).toBeGreaterThan(afterStandard + 5);
    stop();
  });
});
