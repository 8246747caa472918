import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_API_PREFIX } from '../../../src/common/lab-api';
import type { RunningServer } from '../../../src/server';
import { createLab, createLabClock, type Lab } from '../../../src/server/lab';
import { scenarioRoutes, type ScenarioRunResponse } from '../../../src/server/lab/scenario-routes';
import { resolveLabTarget } from '../../../src/scenarios/lab-target';
import type { ScenarioInfo } from '../../../src/scenarios/types';
import { listen, openMemoryDb } from '../../unit/lab/helpers';
import { labConfig, startLabServer } from '../../support/lab-server';

const SECRET = 'scenario-routes-secret';

/** The scenario routes mounted through createLab's extraApiRoutes, running against a real provider. */
describe('lab API scenario routes', () => {
  let provider: RunningServer;
  let lab: Lab;
  let origin: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    provider = await startLabServer(labConfig());
    const target = () =>
      resolveLabTarget({
        labOrigin: provider.labOrigin,
        labSecret: provider.labSecret,
        users: [{ username: 'alice', password: 'wonderland' }],
      });
    lab = createLab({
      db: openMemoryDb(),
      clock: createLabClock({ now: () => Date.now() }),
      logger: { info() {}, warn() {}, error() {} },
      secret: SECRET,
      capture: false,
      version: 'test',
      sessionInfo: () => ({ issuer: provider.issuer, labOrigin: '', clients: [], users: [] }),
      resolveJwtKey: async () => undefined,
      rotateKeys: async () => [],
      extraApiRoutes: scenarioRoutes(target),
    });
    const server = await listen(lab.labApp);
    lab.setLabPort(server.port);
    origin = `http://127.0.0.1:${server.port}`;
    stop = async () => {
      await server.close();
      await lab.close();
    };
  });
  afterAll(async () => {
    await stop?.();
    await provider?.close();
  });

  const call = (method: string, path: string, body?: unknown, secret = SECRET) =>
    fetch(`${origin}${LAB_API_PREFIX}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${secret}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('needs the lab secret', async () => {
    expect((await call('GET', '/scenarios', undefined, 'wrong')).status).toBe(401);
  });

  it('serves the catalogue without the steps', async () => {
    const response = await call('GET', '/scenarios');
    expect(response.status).toBe(200);
    const catalogue = (await response.json()) as ScenarioInfo[];
    expect(catalogue.length).toBeGreaterThanOrEqual(40);
    expect(catalogue.find((s) => s.id === 'code-expired')).toMatchObject({
      category: 'authorization-code',
      needsLabClock: true,
    });
    expect(catalogue.every((s) => !('run' in s))).toBe(true);
  });

  it('runs the scenarios asked for, each with its recording', async () => {
    const response = await call('POST', '/scenarios/run', {
      ids: ['pkce-wrong-verifier', 'dpop-resource-token-as-bearer'],
    });
    expect(response.status).toBe(200);
    const { results, summary } = (await response.json()) as ScenarioRunResponse;
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ['pkce-wrong-verifier', 'pass'],
      ['dpop-resource-token-as-bearer', 'pass'],
    ]);
    expect(results.every((r) => typeof r.recordingId === 'string')).toBe(true);
    expect(summary).toEqual({ passed: 2, failed: 0, skipped: 0 });
  });

  it('runs a whole category', async () => {
    const { results } = (await (
      await call('POST', '/scenarios/run', { category: 'logout' })
    ).json()) as ScenarioRunResponse;
    expect(results.map((r) => r.id)).toEqual([
      'logout-unregistered-post-logout-redirect-uri',
      'logout-consent-page-left-open',
      'logout-consent-after-another-login',
    ]);
  });

  it('refuses a malformed run request, and leaves the other lab API routes alone', async () => {
    expect((await call('POST', '/scenarios/run', { category: 'nope' })).status).toBe(400);
    expect((await call('POST', '/scenarios/run', { ids: 'x' })).status).toBe(400);
    const unknown = await call('POST', '/scenarios/run', {
      ids: ['pkce-wrong-verifier', 'no-such-scenario'],
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: 'invalid_request',
      error_description: 'no scenario has the id no-such-scenario',
    });
    expect((await call('GET', '/clock')).status).toBe(200);
    expect((await call('GET', '/no-such-thing')).status).toBe(404);
  });

  it('answers a body that is not JSON, or too large, with a JSON error and no stack trace', async () => {
    const post = (body: string) =>
      fetch(`${origin}${LAB_API_PREFIX}/scenarios/run`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json' },
        body,
      });
    for (const [body, status] of [
      ['{', 400],
      ['null', 400],
      [JSON.stringify({ ids: ['x'.repeat(70 * 1024)] }), 413],
    ] as const) {
      const response = await post(body);
      const text = await response.text();
      expect(response.status, text).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.parse(text)).toEqual({
        error: 'invalid_request',
        error_description: 'the request body could not be read',
      });
      expect(text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|Error/);
    }
  });
});
