import { describeExpected, describeObservation } from '../compare';
import type { ScenarioResult } from '../types';

const marks = { pass: '✓', fail: '✗', skip: '–' } as const;

/** One line per scenario: `✓ id  title`, with expected vs actual on a failure and the reason on a skip. */
export function progressLine(result: ScenarioResult): string {
  const head = `${marks[result.outcome]} ${result.id}  ${result.title}`;
  if (result.outcome === 'pass') return head;
  if (result.outcome === 'skip') return `${head}  (skipped: ${result.reason ?? 'no reason given'})`;
  return `${head}\n    expected ${describeExpected(result.expected)}, actual ${describeObservation(result.actual)}${
    result.reason && !result.reason.startsWith('expected ') ? `\n    ${result.reason}` : ''
  }`;
}
