import { CookieJar } from '../client';
import { meetsExpectation } from './compare';
import {
  discoverOnce,
  ScenarioContext,
  ScenarioSkip,
  SetupFailure,
  StageReached,
  type Discovery,
} from './context';
import { LabConnection } from './lab-connection';
import type { Observation, RunSummary, ScenarioDefinition, ScenarioResult, ScenarioTarget } from './types';

export interface RunOptions {
  /** Called after each scenario (progress lines, the UI). */
  onResult?: (result: ScenarioResult) => void;
  /** Tests: the lab connection to use (a fake). */
  lab?: LabConnection;
}

const elapsed = (started: number): number => Math.round(performance.now() - started);

/**
 * Runs scenarios one after another (each in its own lab recording when a lab is available; the lab's
 * current recording is global, so they cannot overlap), compares each answer with what the specs
 * require, and always puts the lab clock back after a scenario that moved it.
 */
export async function runScenarios(
  scenarios: readonly ScenarioDefinition[],
  target: ScenarioTarget,
  options: RunOptions = {},
): Promise<ScenarioResult[]> {
  const lab = options.lab ?? (target.lab ? new LabConnection(target.lab) : undefined);
  const results: ScenarioResult[] = [];
  // One browser for the run: the user logs in once (password hashing is deliberately slow).
  const browserJar = new CookieJar();
  // One discovery for the run: against an address that drops packets, each scenario waited the
  // request timeout (20 s) for its own.
  const discovery = discoverOnce(target.issuer);
  for (const scenario of scenarios) {
    const result = await runOne(scenario, target, lab, browserJar, discovery);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

async function runOne(
  scenario: ScenarioDefinition,
  target: ScenarioTarget,
  lab: LabConnection | undefined,
  browserJar: CookieJar,
  discovery: Discovery,
): Promise<ScenarioResult> {
  const base = {
    id: scenario.id,
    title: scenario.title,
    category: scenario.category,
    clause: scenario.clause,
    expected: scenario.expected,
  };
  const started = performance.now();
  if (scenario.needsLabClock && !lab) {
    return {
      ...base,
      outcome: 'skip',
      durationMs: 0,
      reason: 'moves the lab clock: needs the lab API (no lab on this target)',
    };
  }
  let recordingId: string | undefined;
  if (lab) {
    try {
      recordingId = await lab.startRecording(`Scenario: ${scenario.title}`);
    } catch (e) {
      return {
        ...base,
        outcome: 'fail',
        durationMs: elapsed(started),
        reason: `could not start a lab recording: ${(e as Error).message}`,
      };
    }
  }
  const ctx = new ScenarioContext(
    target,
    lab,
    lab ? (report) => lab.reportExchange(report) : undefined,
    browserJar,
    discovery,
  );
  const withRecording = recordingId === undefined ? {} : { recordingId };
  let observation: Observation;
  try {
    observation = await scenario.run(ctx);
  } catch (e) {
    if (e instanceof StageReached) {
      observation = e.observation;
    } else {
      const skip = e instanceof ScenarioSkip;
      const reason =
        e instanceof SetupFailure || skip ? e.message : `the scenario could not run: ${whatWentWrong(e)}`;
      await settle(ctx, lab);
      return {
        ...base,
        ...withRecording,
        outcome: skip ? 'skip' : 'fail',
        durationMs: elapsed(started),
        reason,
      };
    }
  }
  await settle(ctx, lab);
  const verdict = meetsExpectation(scenario.expected, observation);
  return {
    ...base,
    ...withRecording,
    outcome: verdict.ok ? 'pass' : 'fail',
    actual: observation,
    durationMs: elapsed(started),
    ...(verdict.reason ? { reason: verdict.reason } : {}),
  };
}

/** Sends the client's exchange reports before the next recording starts, and resets a moved clock. */
async function settle(ctx: ScenarioContext, lab: LabConnection | undefined): Promise<void> {
  if (!lab) return;
  await lab.flush();
  if (ctx.clockMoved) await lab.resetClock();
}

export function summarize(results: readonly ScenarioResult[]): RunSummary {
  return {
    passed: results.filter((r) => r.outcome === 'pass').length,
    failed: results.filter((r) => r.outcome === 'fail').length,
    skipped: results.filter((r) => r.outcome === 'skip').length,
  };
}

/** The last line of a run, exactly: `N passed, N failed, N skipped`. */
export const summaryLine = ({ passed, failed, skipped }: RunSummary): string =>
  `${passed} passed, ${failed} failed, ${skipped} skipped`;

/**
 * An error in words, with its cause when it has one: fetch says only "fetch failed", and whether the
 * provider refused the connection (ECONNREFUSED) or was not found (ENOTFOUND) is in its cause.
 */
export function whatWentWrong(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // Node's "Invalid URL" keeps the text it could not parse (a provider's Location header, say) apart.
  const { code, input } = e as { code?: unknown; input?: unknown };
  if (code === 'ERR_INVALID_URL' && typeof input === 'string') {
    return `${e.message}: ${JSON.stringify(input.slice(0, 200))}`;
  }
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  const detail =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return detail && !e.message.includes(detail) ? `${e.message} (${detail})` : e.message;
}
