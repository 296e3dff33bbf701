#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node:test and tsx.
// Node 20's `--test` does not expand globs, so the files are collected here.
// Usage: npm test [-- path-substring ...]  (only files whose path contains one of the substrings)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(collect(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ['src', 'test']
  .flatMap((d) => collect(d))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Node 20 runs each file in its own process and applies --test-timeout to the file as a whole: a file that
// hangs fails after this long instead of holding the run until CI's own limit. The longest file takes ~2 min.
const fileTimeoutMs = Number(process.env.GAVEL_TEST_FILE_TIMEOUT_MS ?? 600_000);
// A file whose tests have all finished but which still holds a handle (a socket, a child process) would keep
// the runner waiting for its exit forever; --test-force-exit ends it once its tests are done.
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    `--test-timeout=${fileTimeoutMs}`,
    '--test-force-exit',
    '--test-reporter=spec',
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
