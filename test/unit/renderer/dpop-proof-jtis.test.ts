import { describe, expect, it } from 'vitest';
import { createDiagramModel, type MergedExchange } from '../../../src/renderer/model/diagram-model';
import { dpopProofJti, otherDpopJtis } from '../../../src/renderer/model/dpop-proof-jtis';
import { exchange, span } from './fixtures';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const proof = (jti: unknown) =>
  `${b64url({ typ: 'dpop+jwt', alg: 'ES256' })}.${b64url({ jti, htm: 'POST', htu: 'http://x/token' })}.c2ln`;

describe('DPoP proof jtis of the session (RFC 9449 §11.1: a replayed proof is shown)', () => {
  it('reads the jti from the DPoP header, and nothing from a request without one or with a bad one', () => {
    expect(dpopProofJti(exchange({ requestHeaders: { dpop: proof('j-1') } }))).toBe('j-1');
    expect(dpopProofJti(exchange({ requestHeaders: { DPoP: proof('j-2') } }))).toBe('j-2');
    expect(dpopProofJti(exchange())).toBeUndefined();
    expect(dpopProofJti(exchange({ requestHeaders: { dpop: proof(42) } }))).toBeUndefined();
    expect(dpopProofJti(exchange({ requestHeaders: { dpop: 'not-a-jwt' } }))).toBeUndefined();
  });

  it("collects every other exchange's proof jti, from the client's view and from the server's", () => {
    const opened = exchange({ spanId: span(101), requestHeaders: { dpop: proof('mine') } });
    const clientOnly = exchange({
      observer: 'client',
      spanId: span(102),
      requestHeaders: { dpop: proof('c') },
    });
    const serverOnly = exchange({ spanId: span(103), requestHeaders: { dpop: proof('s') } });
    const plain = exchange({ spanId: span(104) });
    const model = createDiagramModel([opened, clientOnly, serverOnly, plain]);
    const mine = model.items.find(
      (i): i is { kind: 'exchange'; key: string; exchange: MergedExchange } =>
        i.kind === 'exchange' && i.exchange.server === opened,
    );
    if (!mine) throw new Error('the opened exchange is not in the model');
    expect([...otherDpopJtis(model, mine.exchange)].sort()).toEqual(['c', 's']);
  });
});
