import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../../src/common/lab-events';
import { createDiagramModel } from '../../../src/renderer/model/diagram-model';
import { firstFailingExchangeKey } from '../../../src/renderer/scenarios/open-scenario-recording';

const exchange = (spanId: string, outcome: 'passed' | 'failed'): Exchange => ({
  type: 'exchange',
  id: `e-${spanId}`,
  traceId: 'a'.repeat(32),
  spanId,
  observer: 'server',
  from: 'client',
  to: 'authorization_server',
  label: 'token',
  method: 'POST',
  url: 'http://127.0.0.1:1/token',
  requestHeaders: {},
  requestBody: null,
  status: outcome === 'passed' ? 200 : 400,
  responseHeaders: {},
  responseBody: null,
  startedAt: 0,
  durationMs: 1,
  jwts: [],
  checks: [{ id: 'dpop.htm', description: 'htm matches', ref: 'RFC 9449 §4.3 (8)', outcome }],
});

describe('opening a scenario recording', () => {
  it('selects the first exchange with a failed server check', () => {
    const model = createDiagramModel([
      exchange('1'.repeat(16), 'passed'),
      exchange('2'.repeat(16), 'failed'),
    ]);
    expect(firstFailingExchangeKey(model)).toBe(`${'a'.repeat(32)}:${'2'.repeat(16)}`);
  });

  it('selects nothing when every check passed', () => {
    expect(firstFailingExchangeKey(createDiagramModel([exchange('1'.repeat(16), 'passed')]))).toBeUndefined();
  });
});
