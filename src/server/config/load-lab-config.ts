import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as z from 'zod';
import { parseJsonText } from '../../common/json-text';
import { clientSchema, labConfigSchema, type LabConfig } from './lab-config-schema';
import { checkClientRules, checkLabConfigRules } from './lab-config-rules';
import { readInputFile } from './read-input-file';

/** A configuration file that cannot be used, with every problem found (not only the first). */
export class LabConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'LabConfigError';
  }
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    '',
  ) || '(root)';

const describeIssues = (issues: readonly z.core.$ZodIssue[]): string[] =>
  issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);

/** Validates a parsed configuration object; throws LabConfigError naming `source` with every problem. */
export function parseLabConfig(value: unknown, source: string): LabConfig {
  const parsed = labConfigSchema.safeParse(value);
  if (!parsed.success) {
    // Every problem at once: the rules too, of each client whose shape is right.
    throw new LabConfigError(source, [
      ...describeIssues(parsed.error.issues),
      ...rulesOfWellFormedClients(value),
    ]);
  }
  const problems = checkLabConfigRules(parsed.data);
  if (problems.length > 0) throw new LabConfigError(source, problems);
  return parsed.data;
}

/** The cross-field rules of the clients that pass the schema on their own, in a file that does not. */
function rulesOfWellFormedClients(value: unknown): string[] {
  const clients =
    typeof value === 'object' && value !== null ? (value as { clients?: unknown }).clients : undefined;
  if (!Array.isArray(clients)) return [];
  return clients.flatMap((raw: unknown, i) => {
    const client = clientSchema.safeParse(raw);
    return client.success ? checkClientRules(client.data, i) : [];
  });
}

/** Reads and validates a configuration file (JSON). */
export function loadLabConfig(file: string): LabConfig {
  let text: string;
  try {
    text = readInputFile(file);
  } catch (e) {
    throw new LabConfigError(file, [`cannot read the file (${(e as Error).message})`]);
  }
  let value: unknown;
  try {
    value = parseJsonText(text);
  } catch (e) {
    throw new LabConfigError(file, [(e as Error).message]);
  }
  return parseLabConfig(value, file);
}

/** The default lab configuration shipped in resources/ (demo clients and users). */
export function defaultLabConfigPath(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  // From src/server/config (tests) or out/cli (built CLI), resources/ is at the package root.
  for (const up of ['../../..', '../..', '..']) {
    const candidate = resolve(here, up, 'resources/lab-config.json');
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // try the next level
    }
  }
  return resolve(process.cwd(), 'resources/lab-config.json');
}
