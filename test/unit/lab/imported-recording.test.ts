import { describe, expect, it } from 'vitest';
import { LAB_EVENT_SCHEMA_VERSION, type Recording } from '../../../src/common/lab-events';
import { distrustImportedSignatures } from '../../../src/server/lab/imported-recording';
import { makeExchange } from './helpers';

describe('imported recordings', () => {
  it('keep their tokens but none of their claims to verified signatures', () => {
    const exchange = makeExchange({});
    const recording: Recording = {
      schemaVersion: LAB_EVENT_SCHEMA_VERSION,
      id: 'r1',
      name: 'crafted',
      createdAt: 0,
      events: [
        {
          ...exchange,
          jwts: [
            {
              location: 'request.header.DPoP',
              kind: 'dpop_proof',
              raw: 'a.b.c',
              header: {},
              payload: {},
              signature: { verified: true, key: 'server:kid' },
            },
          ],
        },
      ],
    };
    const imported = distrustImportedSignatures(recording);
    const first = imported.events[0];
    expect(first?.type === 'exchange' && first.jwts[0]?.signature).toEqual({
      verified: null,
      detail: 'from an imported recording: not verified by this lab',
    });
    expect(first?.type === 'exchange' && first.jwts[0]?.raw).toBe('a.b.c');
  });
});
