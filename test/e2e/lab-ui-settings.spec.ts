import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { actAsUser, openLab, runWholeFlow } from './support/lab-page';
import { serveLab, type ServedLab } from './support/serve-process';

/**
 * The lab UI's demo flows on a lab set up otherwise than the demo configuration: the provider demands
 * DPoP nonces (RFC 9449 §8) and PAR of every client (RFC 9126 §5), rotates refresh tokens, speaks
 * French, and its FAPI client signs its assertions with PS256. Each of these broke a flow of the UI
 * (a missing PAR step, the wrong signing key).
 */
test.describe.configure({ mode: 'serial' });

test.describe('lab UI on a lab set up otherwise', () => {
  let lab: ServedLab;
  let dir: string;

  test.beforeAll(async () => {
    const config = JSON.parse(readFileSync('resources/lab-config.json', 'utf8')) as {
      server: Record<string, unknown>;
      clients: Record<string, unknown>[];
    };
    Object.assign(config.server, {
      dpop_nonce_required: true,
      require_pushed_authorization_requests: true,
      refresh_token_rotation: true,
      ui_locales: 'fr',
    });
    // The FAPI client the lab generates a PS256 key for signs its assertions with it.
    const fapi = config.clients.find((client) => client.client_id === 'demo-fapi');
    if (fapi) fapi.token_endpoint_auth_signing_alg = 'PS256';
    dir = mkdtempSync(join(tmpdir(), 'trusty-lab-e2e-config-'));
    const file = join(dir, 'lab-config.json');
    writeFileSync(file, JSON.stringify(config));
    lab = await serveLab(['--config', file]);
  });
  test.afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every client runs its whole flow', async ({ page, context }) => {
    const stop = actAsUser(context, undefined, lab.issuer);
    await openLab(page, lab.labUrl);
    const select = page.getByRole('combobox', { name: 'Client' });
    const clients = await select.locator('option').allInnerTexts();
    expect(clients).toHaveLength(3);
    for (const client of clients) {
      await page.getByRole('button', { name: 'New flow' }).click();
      await select.selectOption({ label: client });
      await runWholeFlow(page);
    }
    stop();
  });
});
