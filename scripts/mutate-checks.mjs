// Breaks each rule the provider and the demo client check, one at a time, and runs the tests: a rule
// whose breaking no test notices is a MUST without a negative test (DESIGN.md: every MUST gets a test
// that fails when the rule is broken).
//
// A rule is a `verify(spec, condition, onFailure)` call of the provider (src/server, domain/check.ts)
// or an `ensure(log, spec, condition, detail)` call of the demo client (src/client, client-check.ts).
// Its mutant has `true` for the condition, so the check always passes. Each runs in a copy of the
// working tree (tracked and untracked files, not ignored ones), never in the tree itself, with vitest
// stopping at the first failure. Slow: 37 minutes here for all 114 rules (2 cores), with --tests
// leaving out the unit tests of the renderer, lab, main process, CLI and benchmark, which check no rule.
//
//   node scripts/mutate-checks.mjs [--only PATH_PART] [--tests DIR,DIR] [--list]
//
// Prints each rule as it is tried, then those that survived; exits 1 when one did.
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_TESTS = ['test/integration', 'test/unit'];
const RUN_TIMEOUT_MS = 10 * 60_000;

function option(name) {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

/** Where rules are checked: the function that checks them, its arity and the condition's place. */
const CHECKERS = [
  {
    dir: join('src', 'server'),
    callee: 'verify',
    arity: 3,
    condition: 1,
    definedIn: join('src', 'server', 'domain', 'check.ts'),
  },
  {
    dir: join('src', 'client'),
    callee: 'ensure',
    arity: 4,
    condition: 2,
    definedIn: join('src', 'client', 'client-check.ts'),
  },
];

/** Every call of `checker.callee` under its directory, with where its condition is. */
function ruleCalls(checker) {
  const calls = [];
  for (const entry of readdirSync(join(ROOT, checker.dir), { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !path.endsWith('.ts') || relative(ROOT, path) === checker.definedIn) continue;
    const text = readFileSync(path, 'utf8');
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === checker.callee &&
        node.arguments.length === checker.arity
      ) {
        const condition = node.arguments[checker.condition];
        const spec = node.arguments[checker.condition - 1];
        const start = condition.getStart();
        calls.push({
          file: relative(ROOT, path),
          line: source.getLineAndCharacterOfPosition(start).line + 1,
          spec: spec.getText(),
          condition: condition.getText().replace(/\s+/g, ' '),
          start,
          end: condition.end,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  // A condition that is `true` already cannot be broken this way.
  return calls.filter((call) => call.condition !== 'true');
}

/** A copy of the working tree (what git does not ignore), its node_modules linked, not copied. */
function copyOfWorkingTree() {
  const copy = mkdtempSync(join(tmpdir(), 'trusty-lab-mutants-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
  })
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(copy, file));
    } catch (e) {
      if (e.code !== 'ENOENT') throw e; // deleted in the working tree, not yet in git
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

/** The vitest run under way, stopped when this script is (its copy is then removed). */
let running;
let stopped = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopped = true;
    running?.kill(signal);
  });
}

/** Runs `npx vitest` in `cwd`; its exit status (or signal) and its output. */
function vitest(cwd, args) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: RUN_TIMEOUT_MS,
    });
    running = child;
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (status, signal) => {
      running = undefined;
      resolve({ status: status ?? signal, output });
    });
  });
}

/** Runs the tests with `call`'s condition replaced by `true`; whether any test failed, and which. */
async function tryMutant(copy, call, tests) {
  const path = join(copy, call.file);
  const original = readFileSync(path, 'utf8');
  writeFileSync(path, `${original.slice(0, call.start)}true${original.slice(call.end)}`);
  try {
    const run = await vitest(copy, [...tests, '--bail=1', '--reporter=dot']);
    const failed = run.output.split('\n').find((l) => l.includes(' FAIL '));
    return { killed: run.status === 1, by: failed?.trim(), status: run.status };
  } finally {
    writeFileSync(path, original);
  }
}

const only = option('--only');
const tests = option('--tests')?.split(',') ?? DEFAULT_TESTS;
const calls = CHECKERS.flatMap(ruleCalls).filter((c) => !only || c.file.includes(only));
if (process.argv.includes('--list')) {
  for (const c of calls) console.log(`${c.file}:${c.line} ${c.spec}: ${c.condition}`);
  process.exit(0);
}

const copy = copyOfWorkingTree();
const survivors = [];
try {
  for (const [i, call] of calls.entries()) {
    const outcome = await tryMutant(copy, call, tests);
    if (stopped) break;
    const where = `${call.file}:${call.line} ${call.spec}`;
    console.log(
      `[${i + 1}/${calls.length}] ${where}: ${outcome.killed ? `caught (${outcome.by ?? 'a test failed'})` : `NOT CAUGHT (exit ${outcome.status})`}`,
    );
    if (!outcome.killed) survivors.push(`${where}: ${call.condition}`);
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
if (stopped) {
  console.log('\nstopped');
  process.exit(130);
}
console.log(
  survivors.length === 0
    ? `\nevery one of the ${calls.length} rules broken was caught by a test`
    : `\nrules no test caught when broken (${survivors.length} of ${calls.length}):\n${survivors.join('\n')}`,
);
process.exit(survivors.length === 0 ? 0 : 1);
