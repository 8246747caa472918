import express, { type Router } from 'express';
import * as z from 'zod';
import { builtInScenarios } from '../../scenarios/catalogue';
import { runScenarios, summarize } from '../../scenarios/runner';
import { selectScenarios } from '../../scenarios/select';
import {
  scenarioCategories,
  scenarioInfo,
  type ScenarioDefinition,
  type ScenarioResult,
  type ScenarioTarget,
} from '../../scenarios/types';

/** The paths, relative to LAB_API_PREFIX (`/lab/api/scenarios`, `/lab/api/scenarios/run`). */
export const scenarioRoutePaths = { catalogue: '/scenarios', run: '/scenarios/run' } as const;

export interface ScenarioRunResponse {
  results: ScenarioResult[];
  summary: ReturnType<typeof summarize>;
}

const runBody = z
  .object({
    ids: z.array(z.string().max(200)).max(1000).optional(),
    category: z.enum(scenarioCategories).optional(),
  })
  .strict();

export type ScenarioTargetSource = ScenarioTarget | (() => ScenarioTarget | Promise<ScenarioTarget>);

/**
 * The lab API's scenario routes: GET the catalogue, POST a run. Scenarios run in the server process
 * against the lab's own issuer, so the UI only shows results; each run's scenarios land in their own
 * recordings. Mount under LAB_API_PREFIX behind the secret and Host checks (createLab's
 * `extraApiRoutes`). One run at a time: the lab's current recording and clock are shared.
 */
export function scenarioRoutes(
  target: ScenarioTargetSource,
  options: { scenarios?: readonly ScenarioDefinition[] } = {},
): Router {
  const router = express.Router();
  const library = options.scenarios ?? builtInScenarios;
  let running = false;

  router.get(scenarioRoutePaths.catalogue, (_req, res) => {
    res.json(library.map(scenarioInfo));
  });

  router.post(scenarioRoutePaths.run, express.json({ limit: '64kb' }), async (req, res) => {
    const parsed = runBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid_request', error_description: z.prettifyError(parsed.error) });
      return;
    }
    if (running) {
      res
        .status(409)
        .json({ error: 'run_in_progress', error_description: 'a scenario run is already in progress' });
      return;
    }
    // As the CLI's --only: an id that names no scenario is a mistake to say, not an empty run.
    const unknown = (parsed.data.ids ?? []).filter((id) => !library.some((scenario) => scenario.id === id));
    if (unknown.length > 0) {
      res.status(400).json({
        error: 'invalid_request',
        error_description: `no scenario has the id ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`,
      });
      return;
    }
    const selected = selectScenarios(library, parsed.data);
    running = true;
    try {
      const resolved = typeof target === 'function' ? await target() : target;
      const results = await runScenarios(selected, resolved);
      const body: ScenarioRunResponse = { results, summary: summarize(results) };
      res.json(body);
    } catch (e) {
      res.status(500).json({
        error: 'server_error',
        error_description: `the scenarios could not run: ${e instanceof Error ? e.message : 'unknown error'}`,
      });
    } finally {
      running = false;
    }
  });

  return router;
}
