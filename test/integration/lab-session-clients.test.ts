import { afterEach, describe, expect, it } from 'vitest';
import { labApiPaths, type LabSession } from '../../src/common/lab-api';
import type { RunningServer } from '../../src/server';
import { demoConfigObject, labConfig, startLabServer } from '../support/lab-server';

/**
 * The lab session tells the UI, per client, whether its authorization requests must be pushed: the
 * UI builds its steps from that before it has discovered anything. With PAR required of every client
 * by the provider, the standard demo client was told `false`, its flow had no PAR step, and the
 * provider refused it ("this client must use a pushed authorization request").
 */
describe('the lab session: must a client push its authorization requests?', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const parRequirements = async (serverSettings: Record<string, unknown>) => {
    const config = demoConfigObject() as { server: Record<string, unknown> };
    Object.assign(config.server, serverSettings);
    server = await startLabServer(labConfig(config));
    const response = await fetch(`${server.labOrigin}${labApiPaths.session}`, {
      headers: { authorization: `Bearer ${server.labSecret}` },
    });
    const session = (await response.json()) as LabSession;
    return Object.fromEntries(
      session.clients.map((c) => [c.client_id, c.require_pushed_authorization_requests]),
    );
  };

  it('by its registration or profile (fapi2) when the provider leaves it to each client', async () => {
    expect(await parRequirements({ require_pushed_authorization_requests: false })).toMatchObject({
      'demo-standard': false,
      'demo-fapi': true,
    });
  });

  it('always when the provider requires PAR of every client (RFC 9126 §5)', async () => {
    expect(await parRequirements({ require_pushed_authorization_requests: true })).toMatchObject({
      'demo-standard': true,
      'demo-fapi': true,
    });
  });
});
