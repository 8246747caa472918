import type { ScenarioDefinition } from '../types';

/** Declares a built-in scenario (typed data plus its step). */
export const scenario = (definition: Omit<ScenarioDefinition, 'source'>): ScenarioDefinition => ({
  ...definition,
  source: 'built-in',
});

export const nowSeconds = (clock: { epochSeconds(): number }): number => clock.epochSeconds();
