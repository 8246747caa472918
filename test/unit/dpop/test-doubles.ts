import type { CheckResult } from '../../../src/server/domain/check';

/** A clock the test moves by hand. */
export { FakeClock, InMemoryReplayCache } from '../../support/fakes';

/** Collects the checks recorded while a function runs. */
export function checkRecorder(): { results: CheckResult[]; record(r: CheckResult): void } {
  const results: CheckResult[] = [];
  return { results, record: (r) => results.push(r) };
}
