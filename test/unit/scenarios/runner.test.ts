import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SetupFailure } from '../../../src/scenarios/context';
import type { LabConnection } from '../../../src/scenarios/lab-connection';
import { runScenarios, summarize, summaryLine } from '../../../src/scenarios/runner';
import type { ScenarioDefinition, ScenarioTarget } from '../../../src/scenarios/types';

const target: ScenarioTarget = { issuer: 'http://127.0.0.1:1', clients: {}, users: [] };

function fakeLab() {
  const calls: string[] = [];
  let recordings = 0;
  const lab = {
    startRecording: (name: string) => {
      calls.push(`record ${name}`);
      return Promise.resolve(`rec-${++recordings}`);
    },
    advanceClock: (seconds: number) => {
      calls.push(`advance ${seconds}`);
      return Promise.resolve({ offsetMs: seconds * 1000, now: 0 });
    },
    resetClock: () => {
      calls.push('reset');
      return Promise.resolve({ offsetMs: 0, now: 0 });
    },
    reportExchange: () => undefined,
    flush: () => {
      calls.push('flush');
      return Promise.resolve();
    },
  };
  return { lab: lab as unknown as LabConnection, calls };
}

const base = {
  category: 'pkce',
  description: 'd',
  clause: 'RFC 7636',
  teaching: 't',
} as const;

const scenarios: ScenarioDefinition[] = [
  {
    ...base,
    id: 'ok',
    title: 'OK',
    expected: { status: 400, error: 'invalid_grant' },
    run: () => Promise.resolve({ status: 400, error: 'invalid_grant' }),
  },
  {
    ...base,
    id: 'wrong',
    title: 'Wrong',
    expected: { status: 400, error: 'invalid_grant' },
    run: () => Promise.resolve({ status: 200 }),
  },
  {
    ...base,
    id: 'clock',
    title: 'Clock',
    needsLabClock: true,
    expected: { success: true },
    run: async (ctx) => {
      await ctx.advanceClock(61);
      expect(ctx.clock.getOffset()).toBe(61_000);
      throw new SetupFailure('token', { status: 500 });
    },
  },
  {
    ...base,
    id: 'boom',
    title: 'Boom',
    expected: { success: true },
    run: () => Promise.reject(new Error('kaput')),
  },
];

describe('runScenarios', () => {
  it('compares each answer with the expectation, one recording per scenario, resetting a moved clock', async () => {
    const { lab, calls } = fakeLab();
    const results = await runScenarios(scenarios, target, { lab });
    expect(results.map((r) => [r.id, r.outcome, r.recordingId])).toEqual([
      ['ok', 'pass', 'rec-1'],
      ['wrong', 'fail', 'rec-2'],
      ['clock', 'fail', 'rec-3'],
      ['boom', 'fail', 'rec-4'],
    ]);
    expect(results[1]).toMatchObject({
      reason: 'expected 400 invalid_grant, got 200',
      actual: { status: 200 },
    });
    expect(results[2]?.reason).toMatch(/setup step 'token'/);
    expect(results[3]?.reason).toMatch(/kaput/);
    // The clock is reset after the scenario that moved it (even though it failed), and only then.
    expect(calls.filter((c) => c === 'reset')).toHaveLength(1);
    expect(calls.indexOf('reset')).toBeGreaterThan(calls.indexOf('advance 61'));
    expect(calls.indexOf('reset')).toBeLessThan(calls.indexOf('record Scenario: Boom'));
    expect(summaryLine(summarize(results))).toBe('1 passed, 3 failed, 0 skipped');
  });

  it('skips clock scenarios without a lab, with the reason, and records nothing', async () => {
    const results = await runScenarios(scenarios.slice(0, 3), target);
    expect(results.map((r) => r.outcome)).toEqual(['pass', 'fail', 'skip']);
    expect(results[2]?.reason).toMatch(/lab/);
    expect(results.every((r) => r.recordingId === undefined)).toBe(true);
  });

  it('says why a scenario could not reach the provider (the cause fetch keeps to itself)', async () => {
    // A port that was just free: nothing listens there now.
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const [result] = await runScenarios(
      [
        {
          ...base,
          id: 'unreachable',
          title: 'Unreachable',
          expected: { status: 400, error: 'invalid_grant' },
          run: async () => ({ status: (await fetch(`http://127.0.0.1:${port}/token`)).status }),
        },
      ],
      target,
    );
    expect(result?.outcome).toBe('fail');
    expect(result?.reason).toBe('the scenario could not run: fetch failed (ECONNREFUSED)');
  });

  it('quotes the text that was no URL (a Location header, say), which Node keeps apart from its message', async () => {
    const [result] = await runScenarios(
      [
        {
          ...base,
          id: 'bad-location',
          title: 'Bad location',
          expected: { status: 400, error: 'invalid_grant' },
          run: () => Promise.resolve({ status: new URL('http://[bad').port.length }),
        },
      ],
      target,
    );
    expect(result?.reason).toBe('the scenario could not run: Invalid URL: "http://[bad"');
  });

  it('fetches the discovery document once per run, as a client keeps it, for every scenario', async () => {
    const provider = await discoveryServer((issuer) => ({ issuer, token_endpoint: `${issuer}/token` }));
    const results = await runScenarios(threeNeedingTheTokenEndpoint(provider.issuer), {
      ...target,
      issuer: provider.issuer,
    });
    provider.server.close();
    expect(results.map((r) => r.outcome)).toEqual(['pass', 'pass', 'pass']);
    expect(provider.requests()).toBe(1);
  });

  it('fails every scenario at once with the error of that one discovery (no request timeout each)', async () => {
    const provider = await discoveryServer(() => undefined);
    const results = await runScenarios(threeNeedingTheTokenEndpoint(provider.issuer), {
      ...target,
      issuer: provider.issuer,
    });
    provider.server.close();
    expect(provider.requests()).toBe(1);
    expect(results.map((r) => r.outcome)).toEqual(['fail', 'fail', 'fail']);
    expect(new Set(results.map((r) => r.reason))).toEqual(
      new Set(['the scenario could not run: discovery_failed: status 503']),
    );
  });

  it('reports each result as it comes', async () => {
    const seen: string[] = [];
    await runScenarios(scenarios.slice(0, 2), target, { onResult: (r) => seen.push(r.id) });
    expect(seen).toEqual(['ok', 'wrong']);
  });
});

/** A provider with a discovery document only: `metadata` answers it (undefined: 503), requests counted. */
async function discoveryServer(
  metadata: (issuer: string) => object | undefined,
): Promise<{ server: Server; issuer: string; requests(): number }> {
  let requests = 0;
  let issuer = '';
  const server = createHttpServer((_req, res) => {
    requests++;
    const body = metadata(issuer);
    if (body === undefined) res.writeHead(503).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { server, issuer, requests: () => requests };
}

/** Three scenarios that pass when the provider's token endpoint is where `issuer` says. */
const threeNeedingTheTokenEndpoint = (issuer: string): ScenarioDefinition[] =>
  ['a', 'b', 'c'].map((id) => ({
    ...base,
    id,
    title: id,
    expected: { status: 400, error: 'invalid_grant' },
    run: async (ctx) =>
      (await ctx.endpoint('token_endpoint')) === `${issuer}/token`
        ? { status: 400, error: 'invalid_grant' }
        : { status: 200 },
  }));
