import { describe, expect, it } from 'vitest';
import { parseUserScenarios, UserScenarioFileError } from '../../../src/scenarios/user-defined/load';

const valid = {
  scenarios: [
    {
      id: 'proof-typ-jwt',
      title: 'Proof typ JWT at the resource',
      category: 'dpop-resource',
      clause: 'RFC 9449 §4.3 (4)',
      flow: 'fapi2',
      request: 'resource',
      mutations: [
        { setProofHeader: { name: 'typ', value: 'JWT' } },
        { setProofClaim: { name: 'jti', value: null } },
      ],
      expected: { status: 401, error: 'invalid_dpop_proof' },
    },
    {
      id: 'late-refresh',
      title: 'Late refresh',
      flow: 'client_credentials',
      request: 'introspect',
      mutations: [{ advanceClock: 30 }],
      expected: { success: true },
    },
  ],
};

function problems(value: unknown): readonly string[] {
  try {
    parseUserScenarios(JSON.stringify(value), 'file.json');
  } catch (e) {
    if (e instanceof UserScenarioFileError) return e.problems;
    throw e;
  }
  throw new Error('expected the file to be refused');
}

describe('the user-defined scenario format', () => {
  it('loads a valid file into scenario definitions', () => {
    const scenarios = parseUserScenarios(JSON.stringify(valid));
    expect(scenarios.map((s) => [s.id, s.category, s.source, s.needsLabClock])).toEqual([
      ['proof-typ-jwt', 'dpop-resource', 'user', false],
      ['late-refresh', 'hostile-input', 'user', true],
    ]);
    expect(typeof scenarios[0]?.run).toBe('function');
  });

  it('reports every problem, each with its path', () => {
    const found = problems({
      scenarios: [
        {
          id: 'Not Kebab',
          title: '',
          flow: 'client_credentials',
          request: 'authorize',
          mutations: [{ setHeader: { name: 'X' } }, { setProofClaim: { name: 'htm', value: 'GET' } }],
          expected: { status: 99, error: 'x' },
          extra: true,
        },
        {
          id: 'dup',
          title: 't',
          flow: 'standard',
          request: 'token',
          mutations: [{ setAssertionClaim: { name: 'aud', value: 'x' } }],
          expected: { success: true },
        },
        {
          id: 'dup',
          title: 't',
          flow: 'standard',
          request: 'token',
          mutations: [],
          expected: { success: true },
        },
      ],
    });
    const text = found.join('\n');
    for (const path of [
      'scenarios[0].id',
      'scenarios[0].title',
      'scenarios[0].mutations[0]',
      'scenarios[0].expected',
      'scenarios[0]: Unrecognized key',
      'scenarios[2].mutations',
    ]) {
      expect(text, path).toContain(path);
    }
    expect(found.length).toBeGreaterThanOrEqual(6);
  });

  it('refuses header names and values HTTP cannot carry (fetch would refuse to send them)', () => {
    const withMutation = (id: string, mutation: unknown) => ({
      id,
      title: id,
      flow: 'fapi2',
      request: 'introspect',
      mutations: [mutation],
      expected: { success: true },
    });
    const found = problems({
      scenarios: [
        withMutation('name-space', { setHeader: { name: 'X Test', value: '1' } }),
        withMutation('value-nul', { setHeader: { name: 'X-Test', value: 'a\u0000b' } }),
        withMutation('value-line', { setHeader: { name: 'X-Test', value: 'a\r\nInjected: 1' } }),
        withMutation('value-wide', { setHeader: { name: 'X-Test', value: '\u20ac' } }),
        withMutation('remove-colon', { removeHeader: 'X:Test' }),
      ],
    }).join('\n');
    for (let i = 0; i < 5; i++) expect(found, `scenarios[${i}]`).toContain(`scenarios[${i}].mutations[0]`);
    // What HTTP does carry: a token name; tabs, spaces, obs-text (Latin-1) in the value.
    expect(() =>
      parseUserScenarios(
        JSON.stringify({
          scenarios: [
            withMutation('fine', { setHeader: { name: "X-Test_1!#$%&'*+.^`|~", value: ' a\tb \u00e9 ' } }),
          ],
        }),
      ),
    ).not.toThrow();
  });

  it('refuses combinations the flow cannot play, with their paths', () => {
    const found = problems({
      scenarios: [
        {
          id: 'a',
          title: 'a',
          flow: 'client_credentials',
          request: 'authorize',
          mutations: [{ removeHeader: 'X' }],
          expected: { success: true },
        },
        {
          id: 'b',
          title: 'b',
          flow: 'standard',
          request: 'token',
          mutations: [{ setProofClaim: { name: 'htm', value: 'GET' } }],
          expected: { success: true },
        },
        {
          id: 'c',
          title: 'c',
          flow: 'fapi2',
          request: 'userinfo',
          mutations: [{ setAssertionClaim: { name: 'aud', value: 'x' } }],
          expected: { success: true },
        },
        {
          id: 'c',
          title: 'c',
          flow: 'fapi2',
          request: 'token',
          mutations: [{ advanceClock: 1 }],
          expected: { success: true },
        },
      ],
    });
    expect(found).toEqual([
      expect.stringMatching(/^scenarios\[0\]\.request: the client_credentials flow has no authorize request/),
      expect.stringMatching(/^scenarios\[1\]\.mutations\[0\]: no DPoP proof/),
      expect.stringMatching(/^scenarios\[2\]\.mutations\[0\]: no client assertion/),
      expect.stringMatching(/^scenarios\[3\]\.id: duplicate id/),
    ]);
  });

  it('refuses a title with control characters (a line break, a terminal escape), with the other problems', () => {
    const [first, second] = valid.scenarios;
    const found = problems({
      scenarios: [
        { ...first, title: 'Two\nlines' },
        { ...second, title: 'Clears the screen \u001b[2J' },
        { ...second, id: 'c1-escape', title: 'C1 escape \u009b2J' },
        { ...second, id: 'del', title: 'DEL \u007f' },
        { ...second, id: 'Not Kebab', title: 'Tab\there' },
      ],
    });
    const refused = 'title: one line without control characters (C0, DEL, C1)';
    expect(found).toEqual([
      `scenarios[0].${refused}`,
      `scenarios[1].${refused}`,
      `scenarios[2].${refused}`,
      `scenarios[3].${refused}`,
      'scenarios[4].id: a kebab-case id',
      `scenarios[4].${refused}`,
    ]);
    expect(
      parseUserScenarios(JSON.stringify({ scenarios: [{ ...first, title: 'Preuve « htm » — POST' }] })),
    ).toHaveLength(1);
  });

  it('says when the file is not JSON at all', () => {
    expect(() => parseUserScenarios('{', 'broken.json')).toThrow(
      /broken\.json: 1 problem:\n {2}- not valid JSON: it ends at line 1, column 2/,
    );
  });

  it('says when a value is nested too deeply to be checked, naming the file', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const text = JSON.stringify(valid).replace('"value":null', `"value":${deep}`);
    expect(text).toContain(deep);
    expect(() => parseUserScenarios(text, 'deep.json')).toThrow(UserScenarioFileError);
    expect(() => parseUserScenarios(text, 'deep.json')).toThrow(
      /deep\.json: 1 problem:\n {2}- a value is nested too deeply/,
    );
  });
});
