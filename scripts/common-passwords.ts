/**
 * Regenerates src/http/common-passwords.txt, the breached passwords sign-up refuses.
 *
 * Source: the password frequency list of @zxcvbn-ts/language-common (MIT,
 * https://github.com/zxcvbn-ts/zxcvbn, `src/passwords.json`: passwords from public
 * breach corpora, most frequent first). It is fetched with `npm pack` at development
 * time only, so that it is not a runtime dependency (the package is 1.9 MB; we need
 * 100 KB of it). Kept: the 10,000 most frequent entries of 8 or more characters
 * (shorter ones are refused by the length rule anyway), lower-cased, one per line.
 *
 * Usage: node --import tsx scripts/common-passwords.ts [path/to/passwords.json]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE_PACKAGE = '@zxcvbn-ts/language-common@4.1.3';
const KEEP = 10_000;
const MIN_LENGTH = 8;
const OUTPUT = new URL('../src/http/common-passwords.txt', import.meta.url);

/**
 * Passwords this repository itself uses (tests, scripts/demo.ts, README examples). None is in the source
 * list today; should a later version of it contain one, it is dropped rather than breaking the examples.
 */
const PROJECT_PASSWORDS = ['correct horse battery', 'demo-password', 'alice-secret', 'bob-secret-1'];

function readSource(path: string | undefined): unknown {
  if (path) return JSON.parse(readFileSync(path, 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'gavel-passwords-'));
  try {
    const tarball = execFileSync('npm', ['pack', SOURCE_PACKAGE, '--silent', '--pack-destination', dir], {
      encoding: 'utf8',
    }).trim();
    execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir, 'package/src/passwords.json']);
    return JSON.parse(readFileSync(join(dir, 'package/src/passwords.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const source = readSource(process.argv[2]);
if (!Array.isArray(source) || !source.every((p) => typeof p === 'string'))
  throw new Error('expected a JSON array of strings, most frequent first');

const excluded = new Set(PROJECT_PASSWORDS.map((p) => p.toLowerCase()));
const kept = new Set<string>();
for (const password of source as string[]) {
  const lower = password.toLowerCase();
  // No line breaks inside an entry: the file is one password per line.
  if ([...lower].length < MIN_LENGTH || /[\r\n]/.test(lower) || excluded.has(lower)) continue;
  kept.add(lower);
  if (kept.size === KEEP) break;
}
writeFileSync(OUTPUT, `${[...kept].join('\n')}\n`);
console.log(`wrote ${kept.size} passwords to ${OUTPUT.pathname}`);
