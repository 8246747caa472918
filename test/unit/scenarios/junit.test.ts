import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXml, toJunitXml } from '../../../src/scenarios/reporters/junit';
import type { ScenarioResult } from '../../../src/scenarios/types';

const result = (overrides: Partial<ScenarioResult>): ScenarioResult => ({
  id: 'x',
  title: 'X',
  category: 'pkce',
  clause: 'RFC 7636 §4.6',
  outcome: 'pass',
  expected: { status: 400, error: 'invalid_grant' },
  actual: { status: 400, error: 'invalid_grant' },
  durationMs: 12,
  ...overrides,
});

const results: ScenarioResult[] = [
  result({ id: 'a' }),
  result({
    id: 'b',
    outcome: 'fail',
    actual: { status: 200 },
    reason: 'expected 400 invalid_grant, got 200 <&"\'>',
  }),
  result({ id: 'c', category: 'par', outcome: 'skip', reason: 'needs the lab clock', actual: undefined }),
  result({
    id: 'd',
    category: 'dpop-resource',
    title: 'Bad bytes \u0001 & <tags> "quoted"',
    recordingId: 'r1',
  }),
];

describe('JUnit XML', () => {
  const xml = toJunitXml(results);

  it('is well-formed XML', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('has a testsuite per category and a testcase per scenario, with the right counts', () => {
    const parsed = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => name === 'testsuite' || name === 'testcase',
    }).parse(xml) as {
      testsuites: {
        '@_tests': string;
        '@_failures': string;
        '@_skipped': string;
        testsuite: {
          '@_name': string;
          '@_tests': string;
          '@_failures': string;
          '@_skipped': string;
          testcase: Record<string, unknown>[];
        }[];
      };
    };
    const root = parsed.testsuites;
    expect([root['@_tests'], root['@_failures'], root['@_skipped']]).toEqual(['4', '1', '1']);
    expect(root.testsuite.map((s) => s['@_name'])).toEqual(['pkce', 'par', 'dpop-resource']);
    const pkce = root.testsuite[0]!;
    expect([pkce['@_tests'], pkce['@_failures'], pkce['@_skipped']]).toEqual(['2', '1', '0']);
    const failing = pkce.testcase.find((t) => t['@_name'] === 'b') as {
      failure: { '#text': string; '@_message': string };
    };
    expect(failing.failure['#text']).toContain('expected: 400 invalid_grant');
    expect(failing.failure['#text']).toContain('actual: 200');
    expect(failing.failure['@_message']).toContain('<&"\'>');
    const skipped = root.testsuite[1]!.testcase[0] as { skipped: { '@_message': string } };
    expect(skipped.skipped['@_message']).toBe('needs the lab clock');
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(escapeXml('a<b>&"c\'\u0001')).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(xml).not.toContain('\u0001');
    expect(xml).toContain('Bad bytes  &amp; &lt;tags&gt; &quot;quoted&quot;');
  });
});
