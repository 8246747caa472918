import type * as z from 'zod';
import { parseJsonText } from '../../common/json-text';
import type { ScenarioDefinition } from '../types';
import { playUserScenario } from './play';
import { userScenarioSchemas, type UserScenario } from './schema';

/** A scenario file that does not follow the format: every problem, each with its JSON path. */
export class UserScenarioFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'UserScenarioFileError';
  }
}

/** `scenarios[2].mutations[0].setHeader.name`, the way a reader finds it in the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(the file)' : text;
}

const problemsOf = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);

export function toScenarioDefinition(scenario: UserScenario): ScenarioDefinition {
  return {
    id: scenario.id,
    title: scenario.title,
    category: scenario.category,
    description: scenario.description || `${scenario.flow} flow, ${scenario.request} request mutated`,
    expected: scenario.expected,
    clause: scenario.clause,
    teaching: scenario.teaching,
    needsLabClock: scenario.mutations.some((m) => 'advanceClock' in m),
    source: 'user',
    run: (ctx) => playUserScenario(ctx, scenario),
  };
}

/** Parses and validates a scenario file's text; throws UserScenarioFileError listing every problem. */
export function parseUserScenarios(text: string, source = 'scenario file'): ScenarioDefinition[] {
  let value: unknown;
  try {
    value = parseJsonText(text);
  } catch (e) {
    throw new UserScenarioFileError(source, [(e as Error).message]);
  }
  let parsed;
  try {
    parsed = userScenarioSchemas().userScenarioFile.safeParse(value);
  } catch (e) {
    // A JSON value nested a thousand levels deep (a mutation's value) exhausts the validator's stack.
    if (e instanceof RangeError) throw new UserScenarioFileError(source, ['a value is nested too deeply']);
    throw e;
  }
  if (!parsed.success) throw new UserScenarioFileError(source, problemsOf(parsed.error));
  return parsed.data.scenarios.map(toScenarioDefinition);
}
