import type { Logger } from '../server-options';

/** How often a recorder that keeps failing says so again; the first failure is told at once. */
export const DROP_REPORT_EVERY_MS = 60_000;

export interface RecorderDropReport {
  /** `count` events could not be written (`error` says why) and were let go. */
  dropped(count: number, error: unknown): void;
  /** A batch was written whole: the end of a failure, if there was one. */
  written(): void;
}

/**
 * What the recorder says when it cannot write: a data directory whose disk is full (SQLITE_FULL) or
 * that became read-only fails every batch, one every 20 ms while requests come, and a line for each
 * filled the log as fast (176 lines in 8 s of a test run on a full disk). The first failure is logged
 * with its cause, then at most one line a minute with the events dropped since, and one when batches
 * are written again, with how many were lost in all.
 */
export function createRecorderDropReport(logger: Logger | undefined, now = Date.now): RecorderDropReport {
  let failing = false;
  let lastLineAt = 0;
  let droppedSinceLine = 0;
  let droppedInAll = 0;
  return {
    dropped(count, error) {
      droppedSinceLine += count;
      droppedInAll += count;
      const at = now();
      if (failing && at - lastLineAt < DROP_REPORT_EVERY_MS) return;
      logger?.warn(
        failing
          ? 'lab recorder: still cannot write; events dropped'
          : 'lab recorder: events could not be written to the recordings and were dropped',
        { dropped: droppedSinceLine, error: error instanceof Error ? error.message : String(error) },
      );
      failing = true;
      lastLineAt = at;
      droppedSinceLine = 0;
    },
    written() {
      if (!failing) return;
      logger?.info('lab recorder: events are written to the recordings again', { dropped: droppedInAll });
      failing = false;
      droppedSinceLine = 0;
      droppedInAll = 0;
    },
  };
}
