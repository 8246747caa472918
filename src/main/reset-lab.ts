import type { RunningServer } from '../server/server-options';

export interface ResetLabDeps {
  /** Asks the user; true only on an explicit "Reset". */
  confirm(): Promise<boolean>;
  /** Stops the server, empties the data directory, starts again (ServerLifecycle.reset). */
  reset(): Promise<RunningServer>;
  /** Points the window at the (possibly new) lab origin. */
  reopen(server: RunningServer): Promise<void>;
  showError(message: string): Promise<void>;
}

export type ResetOutcome = 'cancelled' | 'reset' | 'failed';

/**
 * File › Reset Lab: destructive (recordings, keys, sessions all go), so nothing happens without an
 * explicit confirmation; on failure the user is told, without a stack trace.
 */
export async function resetLab(deps: ResetLabDeps): Promise<ResetOutcome> {
  if (!(await deps.confirm())) return 'cancelled';
  try {
    const server = await deps.reset();
    await deps.reopen(server);
    return 'reset';
  } catch (error) {
    await deps.showError(
      `The lab could not be reset: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 'failed';
  }
}
