import { describe, expect, it } from 'vitest';
import {
  callgrindTotal,
  parseInstructionOptions,
  renderInstructionCounts,
  type InstructionCount,
} from '../../../src/bench/instruction-count';

/** The head of a dump as callgrind 3.19 writes it (callgrind_control --dump). */
const dump = (events: string, summary: string) =>
  [
    '# callgrind format',
    'version: 1',
    'creator: callgrind-3.19.0',
    'pid: 4242',
    'cmd:  /usr/bin/node trusty-lab.js serve',
    'part: 1',
    '',
    `events: ${events}`,
    '',
    'summary: ' + summary,
    '',
    'fl=(1) ???',
    'fn=(1) 0x0000000000108090',
    '0 12',
    '',
    'totals: ' + summary,
  ].join('\n');

describe('callgrindTotal', () => {
  it('reads the instructions a dump counted from its summary line', () => {
    expect(callgrindTotal(dump('Ir', '4476423504'))).toBe(4_476_423_504);
  });

  it('refuses a dump without a summary, or one that counts other events first', () => {
    expect(() => callgrindTotal('# callgrind format\nevents: Ir\n')).toThrow(/no summary/);
    expect(() => callgrindTotal(dump('Dr Ir', '12 34'))).toThrow(/not Ir/);
  });
});

describe('parseInstructionOptions', () => {
  it('counts client_credentials, capture on and off, 1,000 requests after 4,000, by default', () => {
    expect(parseInstructionOptions([])).toEqual({
      scenarios: ['client_credentials'],
      requests: 1000,
      warmup: 4000,
      capture: [true, false],
      concurrency: 16,
      out: 'bench-results/instructions.json',
    });
  });

  it('takes scenarios, counts and a mode, and refuses what it does not know', () => {
    const options = parseInstructionOptions(['--scenarios', 'resource_api,userinfo', '--requests', '500']);
    expect(options).toMatchObject({ scenarios: ['resource_api', 'userinfo'], requests: 500 });
    expect(parseInstructionOptions(['--capture', 'off']).capture).toEqual([false]);
    expect(() => parseInstructionOptions(['--scenarios', 'nope'])).toThrow(/unknown scenario/);
    expect(() => parseInstructionOptions(['--requests', '0'])).toThrow(/--requests/);
    expect(() => parseInstructionOptions(['--capture', 'maybe'])).toThrow(/--capture/);
    expect(() => parseInstructionOptions(['--against', '/nonexistent'])).toThrow(/no trusty-lab.js/);
  });
});

describe('renderInstructionCounts', () => {
  it('prints thousands per request, what the capture adds, and the change, for the main and all threads', () => {
    const counts: InstructionCount[] = [
      {
        build: 'this',
        capture: true,
        scenario: 'client_credentials',
        mainThread: 2_841_000,
        allThreads: 2_951_000,
      },
      {
        build: 'this',
        capture: false,
        scenario: 'client_credentials',
        mainThread: 2_669_000,
        allThreads: 2_749_000,
      },
      {
        build: 'against',
        capture: true,
        scenario: 'client_credentials',
        mainThread: 2_880_000,
        allThreads: 3_047_000,
      },
      {
        build: 'against',
        capture: false,
        scenario: 'client_credentials',
        mainThread: 2_668_000,
        allThreads: 2_760_000,
      },
    ];
    const rows = renderInstructionCounts(counts)
      .split('\n')
      .slice(2)
      .map((line) => line.split(/\s{2,}/));
    expect(rows).toEqual([
      [
        'client_credentials',
        'main',
        '2841.0',
        '2669.0',
        '+6.4%',
        '2880.0',
        '2668.0',
        '+7.9%',
        '-1.4%',
        '+0.0%',
      ],
      [
        'client_credentials',
        'all',
        '2951.0',
        '2749.0',
        '+7.3%',
        '3047.0',
        '2760.0',
        '+10.4%',
        '-3.2%',
        '-0.4%',
      ],
    ]);
  });

  it('leaves out what was not counted', () => {
    const row = renderInstructionCounts([
      {
        build: 'this',
        capture: true,
        scenario: 'resource_api',
        mainThread: 3_881_000,
        allThreads: 3_900_000,
      },
    ])
      .split('\n')[2]
      ?.split(/\s{2,}/);
    expect(row).toEqual(['resource_api', 'main', '3881.0', '–', '–', '–', '–', '–', '–', '–']);
  });
});
