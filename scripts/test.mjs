#!/usr/bin/env node
/**
 * `npm test`: every layer, in order — type check of all processes, lint, build, unit tests,
 * then (as root) the lab up, integration and end-to-end tests against it, and the lab down.
 * Ends with one line: "N passed, N failed" (", N skipped" when something was skipped).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const inCI = process.env.CI === 'true';
const labHosts = process.env.VIRTDECK_LAB_HOSTS ?? '3';
// Test-driver hosts (sshd only) for the fifty-host end-to-end test.
const labTestHosts = process.env.VIRTDECK_LAB_TEST_HOSTS ?? '50';
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

mkdirSync('test-results', { recursive: true });

function banner(text) {
  console.log(`\n=== ${text} ===`);
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function counted(name, ok) {
  if (ok) {
    passed += 1;
    return true;
  }
  failed += 1;
  failures.push(name);
  return false;
}

/** A step that counts as one check. */
function check(name, command, args) {
  banner(name);
  return counted(name, run(command, args));
}

/** Runs a step with its output collected; resolves to whether it passed, its output and its time. */
function collected({ name, command, args }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const chunks = [];
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => chunks.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code) => resolve({ name, ok: code === 0, output: Buffer.concat(chunks), seconds: (Date.now() - started) / 1000 }));
  });
}

/**
 * Lanes of steps that need nothing of each other's: the lanes run at once (the machine has two
 * cores and each of these steps keeps one busy), the steps of a lane one after another. Each
 * step's output is printed whole, under its banner, in the order the steps are given, once it
 * has ended. Resolves to whether each step passed, by name.
 */
async function checksAtOnce(lanes) {
  const results = new Map();
  for (const lane of lanes) {
    let previous = Promise.resolve();
    for (const step of lane) {
      previous = previous.then(() => collected(step));
      results.set(step.name, previous);
    }
  }
  const passedByName = {};
  for (const step of lanes.flat()) {
    const { name, ok, output, seconds } = await results.get(step.name);
    banner(name);
    process.stdout.write(output);
    console.log(`(${seconds.toFixed(1)} s)`);
    passedByName[name] = counted(name, ok);
  }
  return passedByName;
}

/** A vitest project; its tests are counted one by one from the JSON report. */
function vitest(project) {
  banner(`tests: ${project}`);
  const report = `test-results/vitest-${project}.json`;
  const ok = run('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile=${report}`]);
  if (!existsSync(report)) {
    failed += 1;
    failures.push(`${project} (no report)`);
    return;
  }
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  passed += summary.numPassedTests;
  failed += summary.numFailedTests;
  skipped += summary.numPendingTests + summary.numTodoTests;
  // A suite that failed to load has no failed tests but is a failure all the same.
  const brokenSuites = summary.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0);
  failed += brokenSuites.length;
  if (!ok || summary.numFailedTests > 0 || brokenSuites.length > 0) failures.push(project);
}

/**
 * The lab comes up (as root) while the static checks and the unit tests run: it needs none of
 * them, and most of its time is spent waiting for daemons. Its output goes to a file, not a
 * pipe, so the synchronous steps below cannot stall it on a full pipe.
 */
const labTitle = `lab up (${labHosts} hosts + variants + ${labTestHosts} test-driver hosts)`;
const labLog = 'test-results/lab-up.log';
const labStarted = Date.now();
const labReady = isRoot
  ? new Promise((resolve) => {
      const fd = openSync(labLog, 'w');
      const child = spawn('npm', ['run', '--silent', 'lab:up', '--', '--hosts', labHosts, '--test-hosts', labTestHosts], {
        stdio: ['ignore', fd, fd],
        env: process.env,
      });
      closeSync(fd);
      child.on('error', () => resolve({ ok: false, seconds: (Date.now() - labStarted) / 1000 }));
      child.on('close', (code) => resolve({ ok: code === 0, seconds: (Date.now() - labStarted) / 1000 }));
    })
  : undefined;

// The type check (one core) while ESLint and then the build use the other: each reads only
// the sources (the build writes out/, which neither of the others reads).
const early = await checksAtOnce([
  [{ name: 'type check (main, preload, renderer, tests)', command: 'npm', args: ['run', '--silent', 'typecheck'] }],
  [
    { name: 'lint', command: 'npm', args: ['run', '--silent', 'lint'] },
    { name: 'build', command: 'npm', args: ['run', '--silent', 'build'] },
  ],
]);
const built = early.build;
if (built) vitest('unit');

if (!isRoot) {
  const message = 'NOT ROOT: skipped the lab, integration tests and end-to-end tests (they start network namespaces, libvirtd and sshd). Run `sudo npm test` for everything.';
  console.error(`\n!!! ${message} !!!\n`);
  if (inCI) {
    failed += 1;
    failures.push('CI must run as root');
  } else {
    skipped += 1;
  }
} else {
  const lab = await labReady;
  banner(labTitle);
  process.stdout.write(readFileSync(labLog));
  console.log(`(${lab.seconds.toFixed(1)} s, alongside the checks above)`);
  const labUp = counted(labTitle, lab.ok);
  try {
    if (built && labUp) {
      vitest('integration');
      vitest('e2e');
    }
  } finally {
    check('lab down', 'npm', ['run', '--silent', 'lab:down']);
    // Down means down: the lab reports itself down (exit 3) and no lab namespace is left.
    check('lab left nothing behind', 'sh', ['-c', 'npx tsx test/lab/cli.ts status >/dev/null 2>&1; [ $? -eq 3 ] && ! ip netns list | grep -q vdlab']);
  }
}

// Desktop tests run only where an Electron binary exists; they report themselves skipped here.
vitest('electron');

banner('summary');
if (failures.length > 0) console.log(`failed: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
