import { describeExpected, describeObservation } from '../compare';
import { scenarioCategories, type ScenarioResult } from '../types';

/** XML 1.0 text and attribute escaping; characters XML 1.0 cannot hold at all are dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(result: ScenarioResult): string {
  const open = `    <testcase classname="scenarios.${escapeXml(result.category)}" name="${escapeXml(result.id)}" time="${seconds(result.durationMs)}">`;
  const properties = `      <properties><property name="title" value="${escapeXml(result.title)}"/><property name="clause" value="${escapeXml(result.clause)}"/>${
    result.recordingId ? `<property name="recordingId" value="${escapeXml(result.recordingId)}"/>` : ''
  }</properties>`;
  const expected = describeExpected(result.expected);
  const actual = describeObservation(result.actual);
  let body = '';
  if (result.outcome === 'fail') {
    const message = result.reason ?? `expected ${expected}, got ${actual}`;
    body = `\n      <failure message="${escapeXml(message)}" type="ExpectationNotMet">${escapeXml(
      `expected: ${expected}\nactual: ${actual}\nclause: ${result.clause}`,
    )}</failure>`;
  } else if (result.outcome === 'skip') {
    body = `\n      <skipped message="${escapeXml(result.reason ?? 'skipped')}"/>`;
  }
  return `${open}\n${properties}${body}\n    </testcase>`;
}

/** JUnit XML: one testsuite per category, one testcase per scenario (what CI servers read). */
export function toJunitXml(results: readonly ScenarioResult[], name = 'trusty-lab scenarios'): string {
  const suites = scenarioCategories
    .map((category) => results.filter((r) => r.category === category))
    .filter((group) => group.length > 0)
    .map((group) => {
      const failures = group.filter((r) => r.outcome === 'fail').length;
      const skipped = group.filter((r) => r.outcome === 'skip').length;
      const time = group.reduce((sum, r) => sum + r.durationMs, 0);
      const category = group[0]?.category ?? '';
      return `  <testsuite name="${escapeXml(category)}" tests="${group.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(time)}">\n${group
        .map(testcase)
        .join('\n')}\n  </testsuite>`;
    });
  const failures = results.filter((r) => r.outcome === 'fail').length;
  const skipped = results.filter((r) => r.outcome === 'skip').length;
  const time = results.reduce((sum, r) => sum + r.durationMs, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(name)}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(time)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
