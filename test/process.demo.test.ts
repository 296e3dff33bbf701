import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './support/child-server.ts';
import { tempDir } from './support/harness.ts';

/**
 * `npm run demo` makes a fresh temporary data directory and removes it when it ends: stopped with SIGTERM
 * (through npm, as a supervisor or a terminal would), or failing at start-up. TMPDIR points the demo's
 * temporary directory into one of the test's own, so that what is left there is the demo's alone.
 */

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const tmp = tempDir('gavel-demo-cleanup-');
after(() => tmp.remove());

const demoDirs = () => readdirSync(tmp.path).filter((name) => name.startsWith('gavel-demo-'));

function runDemo(port: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), TMPDIR: tmp.path, LOG_LEVEL: 'warn' };
  delete env.GAVEL_DATA_DIR;
  delete env.NODE_TEST_CONTEXT;
  const npm = spawn('npm', ['run', 'demo'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout!.on('data', (d) => (output += String(d)));
  npm.stderr!.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  return { npm, exited, output: () => output };
}

test('the demo removes its temporary data directory when it is stopped with SIGTERM', async () => {
  const demo = runDemo(await freePort());
  try {
    const deadline = Date.now() + 90_000;
    while (!demo.output().includes('Ctrl-C to stop')) {
      assert.equal(demo.npm.exitCode, null, `the demo exited early:\n${demo.output()}`);
      assert.ok(Date.now() < deadline, `the demo did not start in time:\n${demo.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [dir] = demoDirs();
    assert.ok(dir, 'the demo made no temporary data directory');
    assert.ok(demo.output().includes(dir), 'the demo does not print the directory it uses');
    assert.ok(readdirSync(`${tmp.path}/${dir}`).includes('gavel.db'), 'the demo did not use its directory');

    demo.npm.kill('SIGTERM');
    const late = setTimeout(() => demo.npm.kill('SIGKILL'), 15_000);
    const code = await demo.exited;
    clearTimeout(late);
    assert.equal(code, 0, `exit code\n${demo.output()}`);
    assert.deepEqual(demoDirs(), [], 'the temporary data directory is still there');
  } finally {
    if (demo.npm.exitCode === null) demo.npm.kill('SIGKILL');
  }
});

test('the demo removes its temporary data directory when it fails to start', async () => {
  // The port is taken: the server cannot listen, and the demo ends with an error.
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const demo = runDemo(port);
    const late = setTimeout(() => demo.npm.kill('SIGKILL'), 60_000);
    const code = await demo.exited;
    clearTimeout(late);
    assert.notEqual(code, 0, `the demo started on a taken port:\n${demo.output()}`);
    assert.match(demo.output(), /EADDRINUSE/);
    assert.deepEqual(demoDirs(), [], 'the temporary data directory is still there');
  } finally {
    blocker.close();
  }
});
