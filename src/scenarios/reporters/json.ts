import { summarize } from '../runner';
import type { RunSummary, ScenarioResult, ScenarioTarget } from '../types';

export interface JsonReport {
  format: 'trusty-lab-scenarios/1';
  issuer: string;
  startedAt: string;
  summary: RunSummary;
  results: ScenarioResult[];
}

/** The machine-readable report: every result as the runner returned it (no secrets: the target's keys are not in it). */
export function toJsonReport(
  results: readonly ScenarioResult[],
  target: Pick<ScenarioTarget, 'issuer'>,
  startedAt: Date,
): string {
  const report: JsonReport = {
    format: 'trusty-lab-scenarios/1',
    issuer: target.issuer,
    startedAt: startedAt.toISOString(),
    summary: summarize(results),
    results: [...results],
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
