import { describe, expect, it } from 'vitest';
import { createDiagramModel } from '../../../src/renderer/model/diagram-model';
import { escapeMermaid, mermaidSource } from '../../../src/renderer/model/mermaid-source';
import { clock, exchange } from './fixtures';

describe('Mermaid source', () => {
  it('writes one arrow per request and a dashed one for its response, with notes for clock moves', () => {
    const src = mermaidSource(
      createDiagramModel([
        exchange({ label: 'PAR', url: 'http://as/par', status: 201 }),
        exchange({
          from: 'client',
          to: 'resource_server',
          label: 'GET /api/accounts',
          method: 'GET',
          url: 'http://as/api/accounts',
          status: 401,
        }),
        clock(61_000),
      ]),
    );
    const lines = src.trim().split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    expect(lines).toContain('  C->>AS: PAR (POST /par)');
    expect(lines).toContain('  AS-->>C: 201');
    expect(lines).toContain('  C->>RS: GET /api/accounts (GET /api/accounts)');
    expect(lines).toContain('  RS-->>C: 401');
    expect(lines.at(-1)).toBe('  Note over B,RS: Lab clock offset 61 s (advanced)');
  });

  it('escapes what would end or break a message', () => {
    expect(escapeMermaid('a;b#c:d\ne<f>')).toBe('a#59;b#35;c:d e#60;f#62;');
  });

  it('leaves CORS preflights out when asked', () => {
    const model = createDiagramModel([exchange({ method: 'OPTIONS' }), exchange()]);
    expect(mermaidSource(model, { hidePreflights: true }).match(/^ {2}\w+->>/gm)).toHaveLength(1);
    expect(mermaidSource(model).match(/^ {2}\w+->>/gm)).toHaveLength(2);
  });
});
