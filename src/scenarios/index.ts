/** The edge-case scenario library: catalogue, runner, reporters and the user-defined format. */
export { builtInScenarios } from './catalogue';
export { runScenarios, summarize, summaryLine, whatWentWrong, type RunOptions } from './runner';
export { selectScenarios } from './select';
export { describeExpected, describeObservation, meetsExpectation } from './compare';
export { resolveLabTarget, targetFromLabSession } from './lab-target';
export { LabConnection } from './lab-connection';
export { clientConfigSchema, targetFromClientConfig, type ClientConfigFile } from './client-config';
export { parseUserScenarios, UserScenarioFileError } from './user-defined/load';
export { userScenarioSchemas } from './user-defined/schema';
export { toJunitXml } from './reporters/junit';
export { toJsonReport } from './reporters/json';
export { progressLine } from './reporters/progress';
export * from './types';
