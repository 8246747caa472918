import type { RunningServer } from '../../src/server';
import type { LabConfig } from '../../src/server/config/lab-config-schema';
import { resolveLabTarget } from '../../src/scenarios/lab-target';
import { runScenarios } from '../../src/scenarios/runner';
import type { ScenarioDefinition, ScenarioResult, ScenarioTarget } from '../../src/scenarios/types';
import { labConfig, startLabServer } from './lab-server';

/**
 * The built-in provider with the demo configuration, or `config` (startLabServer), and the scenario
 * target its lab API describes, `users` logging in (alice by default).
 */
export async function startScenarioLab(
  users: ScenarioTarget['users'] = [{ username: 'alice', password: 'wonderland' }],
  config: LabConfig = labConfig(),
): Promise<{ server: RunningServer; target: ScenarioTarget }> {
  const server = await startLabServer(config);
  try {
    const target = await resolveLabTarget({
      labOrigin: server.labOrigin,
      labSecret: server.labSecret,
      users,
    });
    return { server, target };
  } catch (e) {
    await server.close();
    throw e;
  }
}

/** Runs `scenarios` once against a lab started for them (startScenarioLab), closed after: their results. */
export async function runOnScenarioLab(
  scenarios: readonly ScenarioDefinition[],
  users?: ScenarioTarget['users'],
  config?: LabConfig,
): Promise<ScenarioResult[]> {
  const lab = await startScenarioLab(users, config);
  try {
    return await runScenarios(scenarios, lab.target);
  } finally {
    await lab.server.close();
  }
}
