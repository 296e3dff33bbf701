import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './support/child-server.ts';
import { tempDir } from './support/harness.ts';

/**
 * `npm start` as an operator (or a process supervisor) runs it, stopped as they stop it: SIGTERM to the
 * `npm` process. npm runs a script through `sh -c`, and passes the signal to that shell; Debian's sh
 * (dash) dies of it without passing it on, so a script that runs node under the shell leaves the server
 * running, orphaned, with the port taken. The start script `exec`s node, so the signal reaches the server,
 * which shuts down gracefully. Linux only (reads /proc).
 */

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dir = tempDir('gavel-npm-start-');
const started: number[] = [];
after(() => {
  // A failed run must not leave a server behind.
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
  dir.remove();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie has exited; it only waits for its parent to collect its status.
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Every process under `root` (children, their children, …), from /proc, with its command line. */
function descendants(root: number): { pid: number; command: string }[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; command: string }[] = [];
  const walk = (parent: number) => {
    for (const [pid, ppid] of parentOf)
      if (ppid === parent) {
        let command = '';
        try {
          command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
        } catch {
          // gone meanwhile
        }
        found.push({ pid, command });
        walk(pid);
      }
  };
  walk(root);
  return found;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('SIGTERM to the npm process of `npm start` stops the server: no process left, port free within 10 s', async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    GAVEL_DATA_DIR: dir.path,
    LOG_LEVEL: 'warn',
    GAVEL_SCRYPT_N: '1024',
  };
  // The server is not a test file: nothing in it should talk to this test runner.
  delete env.NODE_TEST_CONTEXT;
  const npm = spawn('npm', ['start'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout!.on('data', (d) => (output += String(d)));
  npm.stderr!.on('data', (d) => (output += String(d)));
  const npmExited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  started.push(npm.pid!);

  const ready = Date.now() + 60_000;
  for (;;) {
    assert.equal(npm.exitCode, null, `npm start exited early:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) break;
    assert.ok(Date.now() < ready, `the server did not get ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const processes = descendants(npm.pid!);
  started.push(...processes.map((p) => p.pid));
  assert.ok(
    processes.some((p) => p.command.includes('bin/gavel.js start')),
    `no server process under npm: ${JSON.stringify(processes)}`,
  );

  const signalled = Date.now();
  npm.kill('SIGTERM');
  const deadline = signalled + 10_000;
  for (;;) {
    const left = processes.filter((p) => alive(p.pid));
    const listening = await portOpen(port);
    if (left.length === 0 && !listening) break;
    assert.ok(
      Date.now() < deadline,
      `10 s after SIGTERM to npm: ${JSON.stringify(left)} still running, port ${listening ? 'taken' : 'free'}\n${output}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // npm reports the server's own exit: 0, a graceful shutdown (not a death by signal).
  assert.equal(await npmExited, 0, output);
});
