import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { parseJsonText } from '../../common/json-text';
import { defaultLabConfigPath, LabConfigError, loadLabConfig } from '../../server/config/load-lab-config';
import { readInputFile } from '../../server/config/read-input-file';
import { createServer, type RunningServer } from '../../server';
import {
  builtInScenarios,
  clientConfigSchema,
  describeExpected,
  LabConnection,
  parseUserScenarios,
  progressLine,
  resolveLabTarget,
  runScenarios,
  selectScenarios,
  summarize,
  summaryLine,
  targetFromClientConfig,
  toJsonReport,
  toJunitXml,
  UserScenarioFileError,
  whatWentWrong,
  type ScenarioDefinition,
  type ScenarioTarget,
} from '../../scenarios';
import type { CommandIo } from './recordings';

export const SCENARIOS_USAGE = `usage: trusty-lab scenarios run [--only PATTERN] [--junit FILE] [--json FILE] [--scenarios FILE]
                               [--config FILE | --issuer URL --client-config FILE]
       trusty-lab scenarios list [--only PATTERN] [--scenarios FILE]

  --only PATTERN        scenario ids or categories, comma-separated, * as a wildcard (dpop-*,code-reused)
  --junit FILE          write a JUnit XML report (a testsuite per category)
  --json FILE           write a JSON report
  --scenarios FILE      add the user-defined scenarios of FILE (format: docs/scenarios.md)
  --config FILE         the lab configuration of the in-process provider (default: the demo one)
  --issuer URL          run against this provider instead of an in-process one …
  --client-config FILE  … with the clients, keys and users of FILE (format: docs/scenarios.md)

Without --issuer, an in-memory provider with the demo configuration (or --config) is started and its
lab used.
Exit codes: 0 every outcome as the specs require, 1 at least one differs, 2 usage error (an option,
a file, or a client config whose lab does not answer or refuses its secret).`;

class UsageError extends Error {}

/**
 * The lab of --client-config, asked for its session once before any scenario runs: each scenario
 * starts a recording there, and with a wrong origin or secret each failed on its own (after the
 * request timeout, 20 s, where nothing answers).
 */
async function ensureLabAnswers(lab: { readonly origin: string; readonly secret: string }): Promise<void> {
  try {
    await new LabConnection(lab).session();
  } catch (e) {
    throw new UsageError(`the lab API at ${lab.origin} cannot be used: ${whatWentWrong(e)}`);
  }
}

/** The text of a file the user named (readInputFile), or a usage error that says why not. */
function readUserFile(file: string): string {
  try {
    return readInputFile(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file} (${(e as Error).message})`);
  }
}

function readScenarioFile(file: string | undefined): ScenarioDefinition[] {
  if (file === undefined) return [];
  const scenarios = parseUserScenarios(readUserFile(file), file);
  const builtIn = new Set(builtInScenarios.map((s) => s.id));
  const clash = scenarios.filter((s) => builtIn.has(s.id)).map((s) => s.id);
  if (clash.length > 0)
    throw new UsageError(`${file}: ids already used by built-in scenarios: ${clash.join(', ')}`);
  return scenarios;
}

/** Whether `value` is an absolute http(s) URL with a host (`http://` alone, or a port past 65535, is not). */
function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * A report file is checked before the run, not found unwritable once every scenario has run: a
 * directory, or a path whose directory does not exist or cannot be written to.
 */
function checkReportPath(option: string, path: string | undefined): void {
  if (path === undefined) return;
  if (path === '') throw new UsageError(`--${option} needs a file name`);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(`--${option} ${path} is a directory`);
  }
  const directory = dirname(resolve(path));
  try {
    accessSync(directory, constants.W_OK);
  } catch {
    throw new UsageError(`--${option} ${path}: cannot write in ${directory}`);
  }
}

function externalTarget(issuer: string, file: string | undefined): ScenarioTarget {
  if (!isHttpUrl(issuer)) throw new UsageError('--issuer must be an http(s) URL');
  if (file === undefined) throw new UsageError('--issuer needs --client-config FILE');
  const text = readUserFile(file);
  let value: unknown;
  try {
    value = parseJsonText(text);
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
  const parsed = clientConfigSchema().safeParse(value);
  if (!parsed.success) throw new UsageError(`${file}: ${z.prettifyError(parsed.error)}`);
  return targetFromClientConfig(issuer, parsed.data);
}

async function inProcessTarget(
  configPath = defaultLabConfigPath(),
): Promise<{ target: ScenarioTarget; server: RunningServer }> {
  const config = loadLabConfig(configPath);
  const quiet = { info() {}, warn() {}, error() {} };
  const server = await createServer({ config, dataDir: null, port: 0, labPort: 0, logger: quiet });
  try {
    const users = config.users.map((u) => ({ username: u.username, password: u.password }));
    const target = await resolveLabTarget({
      labOrigin: server.labOrigin,
      labSecret: server.labSecret,
      users,
    });
    return { target, server };
  } catch (e) {
    await server.close();
    throw e;
  }
}

/**
 * `trusty-lab scenarios run|list`. A progress line per scenario, then exactly
 * `N passed, N failed, N skipped` on its own line.
 */
export async function runScenariosCommand(argv: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') {
    io.stdout.write(`${SCENARIOS_USAGE}\n`);
    return 0;
  }
  if (sub !== 'run' && sub !== 'list') {
    io.stderr.write(`trusty-lab scenarios: expected 'run' or 'list'\n${SCENARIOS_USAGE}\n`);
    return 2;
  }
  let server: RunningServer | undefined;
  try {
    const { values } = parseArgs({
      args: rest,
      options: {
        only: { type: 'string' },
        junit: { type: 'string' },
        json: { type: 'string' },
        scenarios: { type: 'string' },
        issuer: { type: 'string' },
        'client-config': { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.stdout.write(`${SCENARIOS_USAGE}\n`);
      return 0;
    }
    if (values['client-config'] !== undefined && values.issuer === undefined) {
      throw new UsageError('--client-config goes with --issuer');
    }
    if (values.config !== undefined && values.issuer !== undefined) {
      throw new UsageError('--config sets up the in-process provider; --issuer names another one');
    }
    if (sub === 'list') {
      // Reports and a target are of a run: a list would write none, and saying nothing would pass for
      // success.
      for (const option of ['junit', 'json', 'issuer', 'config'] as const) {
        if (values[option] !== undefined) throw new UsageError(`--${option} goes with run, not list`);
      }
    }
    if (values.only === '') throw new UsageError('--only needs a pattern');
    checkReportPath('junit', values.junit);
    checkReportPath('json', values.json);
    const library = [...builtInScenarios, ...readScenarioFile(values.scenarios)];
    const selected = selectScenarios(library, { only: values.only });
    if (values.only !== undefined && selected.length === 0)
      throw new UsageError(`--only ${values.only} matches no scenario`);

    if (sub === 'list') {
      for (const s of selected) {
        io.stdout.write(
          `${s.id}\t${s.category}\t${s.title}\t${describeExpected(s.expected)}${s.needsLabClock ? '\t(lab clock)' : ''}\n`,
        );
      }
      io.stdout.write(`${selected.length} scenarios\n`);
      return 0;
    }

    const target =
      values.issuer !== undefined ? externalTarget(values.issuer, values['client-config']) : undefined;
    let resolved: ScenarioTarget;
    if (target) {
      if (target.lab) await ensureLabAnswers(target.lab);
      resolved = target;
    } else {
      const started = await inProcessTarget(values.config);
      server = started.server;
      resolved = started.target;
    }
    const startedAt = new Date();
    const noun = selected.length === 1 ? 'scenario' : 'scenarios';
    io.stdout.write(`running ${selected.length} ${noun} against ${resolved.issuer}\n`);
    const results = await runScenarios(selected, resolved, {
      onResult: (result) => io.stdout.write(`${progressLine(result)}\n`),
    });
    if (values.junit !== undefined) writeFileSync(values.junit, toJunitXml(results));
    if (values.json !== undefined) writeFileSync(values.json, toJsonReport(results, resolved, startedAt));
    const summary = summarize(results);
    io.stdout.write(`${summaryLine(summary)}\n`);
    return summary.failed > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof UserScenarioFileError || e instanceof LabConfigError) {
      io.stderr.write(`trusty-lab scenarios: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`trusty-lab scenarios: ${e.message}\n${SCENARIOS_USAGE}\n`);
      return 2;
    }
    throw e;
  } finally {
    await server?.close();
  }
}
