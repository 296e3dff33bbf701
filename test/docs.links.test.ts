import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { Parser as HtmlParser } from 'htmlparser2';
import MarkdownIt, { type Env, type Token } from 'markdown-it';

/**
 * The documentation must stand alone in a clone: every link of README.md and docs/**.md that is not an
 * external URL must name a file of the repository, and a `#fragment` must name a heading (or an HTML id) of
 * its target, as GitHub renders them. Links are taken from a real Markdown parser (markdown-it, with raw
 * HTML allowed), so text in code blocks and inline code is never mistaken for a link, and reference-style
 * links are resolved the way a renderer resolves them.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Text no document may contain: paths into the workspace the repository was written in, which a clone
 * does not have (the contract lives there; the repository's own description of it is docs/api.md).
 */
const FORBIDDEN_MENTIONS = ['../shared', '/work/shared'];

/** Schemes of links that leave the repository on purpose (public standards, the running server). */
const EXTERNAL_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** GitHub's own anchors into a file's lines (`src/x.ts#L10`, `#L10-L20`), valid for any file that is not Markdown. */
const LINE_ANCHOR = /^L\d+(?:-L\d+)?$/;

interface Link {
  /** The 1-based line the link is on (a reference-style link: the line of its definition). */
  line: number;
  target: string;
}

interface ParsedDocument {
  links: Link[];
  /** Every fragment a link may name in this document: heading slugs and HTML `id` / `name` attributes. */
  anchors: Set<string>;
}

/**
 * Raw HTML on, as GitHub renders it. Reference definitions are kept as tokens (markdown-it strips them by
 * default) so that each one is checked once, on its own line, whether or not any link uses it.
 */
const markdown = new MarkdownIt({ html: true });
markdown.core.ruler.disable('strip_references');

/** The attributes of raw HTML that hold links, and those that make anchors. */
function scanHtml(html: string, line: number, links: Link[], anchors: Set<string>): void {
  const parser = new HtmlParser({
    onopentag(_name, attributes) {
      for (const name of ['href', 'src'] as const) {
        const value = attributes[name];
        if (value !== undefined) links.push({ line, target: value });
      }
      for (const name of ['id', 'name'] as const) {
        const value = attributes[name];
        if (value !== undefined) anchors.add(value);
      }
    },
  });
  parser.write(html);
  parser.end();
}

/** A heading's text as GitHub slugs it: what the rendered heading reads, without markup. */
function headingText(inline: Token): string {
  return (inline.children ?? [])
    .map((child) => {
      if (child.type === 'text' || child.type === 'code_inline') return child.content;
      if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
      return '';
    })
    .join('');
}

function parseDocument(text: string): ParsedDocument {
  const env: Env = {};
  const tokens = markdown.parse(text, env);
  const links: Link[] = [];
  const anchors = new Set<string>();
  const slugger = new GithubSlugger();
  // The line of the nearest block that knows its own (an inline token in a table cell has none).
  let blockLine = 1;
  tokens.forEach((token, index) => {
    if (token.map) blockLine = token.map[0] + 1;
    let line = blockLine;
    if (token.type === 'heading_open') {
      const inline = tokens[index + 1];
      if (inline?.type === 'inline') anchors.add(slugger.slug(headingText(inline)));
    }
    if (token.type === 'html_block') scanHtml(token.content, line, links, anchors);
    if (token.type === 'reference_definition') {
      const reference = env.references?.[(token.meta as { label: string }).label];
      if (reference) links.push({ line, target: reference.href });
    }
    for (const child of token.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line++;
      // A reference-style link is checked at its definition (above), once for all its uses.
      const viaReference = (child.meta as { label?: string } | null)?.label !== undefined;
      if (child.type === 'link_open' && !viaReference)
        links.push({ line, target: String(child.attrGet('href') ?? '') });
      else if (child.type === 'image' && !viaReference)
        links.push({ line, target: String(child.attrGet('src') ?? '') });
      else if (child.type === 'html_inline') scanHtml(child.content, line, links, anchors);
    }
  });
  return { links, anchors };
}

/** README.md and every Markdown file under docs/, as paths relative to `root`. */
function documentsOf(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) found.push(path);
    }
  };
  if (existsSync(join(root, 'README.md'))) found.push('README.md');
  if (existsSync(join(root, 'docs'))) walk('docs');
  return found;
}

/** Every broken link and forbidden mention in `files` (relative to `root`), as `file:line: problem` lines. */
function checkDocuments(root: string, files: readonly string[]): string[] {
  const problems: string[] = [];
  const parsed = new Map<string, ParsedDocument>();
  const parse = (file: string): ParsedDocument => {
    let document = parsed.get(file);
    if (!document) parsed.set(file, (document = parseDocument(readFileSync(join(root, file), 'utf8'))));
    return document;
  };

  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    text.split('\n').forEach((content, i) => {
      for (const mention of FORBIDDEN_MENTIONS)
        if (content.includes(mention))
          problems.push(`${file}:${i + 1}: mentions ${mention}, which a clone does not have`);
    });

    for (const { line, target } of parse(file).links) {
      const where = `${file}:${line}: ${JSON.stringify(target)}`;
      const problem = checkLink(root, file, target, (path) => parse(path).anchors);
      if (problem !== null) problems.push(`${where} ${problem}`);
    }
  }
  return problems;
}

/** Why one link of `file` is broken, or null when it is fine. */
function checkLink(
  root: string,
  file: string,
  target: string,
  anchorsOf: (path: string) => ReadonlySet<string>,
): string | null {
  if (target.trim() === '') return 'is empty';
  if (target.startsWith('//')) return null;
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(target)?.[1]?.toLowerCase();
  if (scheme !== undefined) return EXTERNAL_SCHEMES.has(scheme) ? null : `uses the scheme ${scheme}`;
  if (target.startsWith('/'))
    return 'is root-relative: GitHub and a local viewer resolve it differently, write it relative to this file';

  const hash = target.indexOf('#');
  const pathPart = (hash === -1 ? target : target.slice(0, hash)).replace(/\?.*$/, '');
  const fragment = hash === -1 ? null : target.slice(hash + 1);
  let path: string;
  let anchor: string | null;
  try {
    path = decodeURIComponent(pathPart);
    anchor = fragment === null ? null : decodeURIComponent(fragment);
  } catch {
    return 'is not a valid URL';
  }

  const absolute = path === '' ? join(root, file) : resolve(root, dirname(file), path);
  const inRepository = relative(root, absolute);
  if (inRepository === '..' || inRepository.startsWith(`..${sep}`) || isAbsolute(inRepository))
    return 'points outside the repository';
  if (!existsSync(absolute)) return `points to ${inRepository}, which does not exist`;

  if (anchor === null || anchor === '') return null;
  if (statSync(absolute).isDirectory()) return `names an anchor in the directory ${inRepository}`;
  if (!absolute.endsWith('.md'))
    return LINE_ANCHOR.test(anchor) ? null : `names the anchor #${anchor}, which ${inRepository} cannot have`;
  const targetFile = inRepository.split(sep).join('/');
  if (anchorsOf(targetFile).has(anchor)) return null;
  return `names #${anchor}, which is no heading of ${targetFile}`;
}

test('the link check finds every kind of broken link, and only those', () => {
  const root = mkdtempSync(join(tmpdir(), 'gavel-docs-links-'));
  try {
    mkdirSync(join(root, 'docs', 'images'), { recursive: true });
    writeFileSync(join(root, 'docs', 'images', 'logo.png'), 'not really a picture');
    writeFileSync(join(root, 'src.ts'), 'export {};\n');
    writeFileSync(
      join(root, 'README.md'),
      [
        '# Demo',
        '',
        'Fine: [api](docs/api.md), [its bids](docs/api.md#place-a-bid), [again](docs/api.md#place-a-bid-1),',
        '[the top](#demo), [code](src.ts#L3-L9), [a standard](https://www.rfc-editor.org/rfc/rfc9457),',
        '[mail](mailto:ops@example.com), [dir](docs/), ![logo](docs/images/logo.png), [ref][good].',
        '',
        'Broken: [gone](docs/gone.md), [anchor](docs/api.md#no-such-heading), [up](../outside.md),',
        '[root](/docs/api.md), [ref][bad], ![missing](docs/images/missing.png), [line](src.ts#top).',
        '',
        '<p><img src="docs/images/nothing.png" alt="x" /> <a href="docs/api.md#held">held</a></p>',
        '',
        'Not links: `[code](nowhere.md)` and',
        '',
        '```md',
        '[fenced](nowhere-either.md)',
        '```',
        '',
        '[good]: docs/api.md#money-in-cents',
        '[bad]: docs/absent.md',
        '[unused]: docs/also-absent.md',
        '',
        'The contract was in ../shared/spec/api.md.',
        '',
        '| what | where |',
        '| ---- | ----- |',
        '| [cell](docs/cell-missing.md) | a table cell |',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(root, 'docs', 'api.md'),
      [
        '# API',
        '',
        '## Place a bid',
        '',
        '## Place a bid',
        '',
        '## Money in *cents*',
        '',
        '<a id="held"></a>',
        '',
        'See [the readme](../README.md#demo) and [self](#api).',
        '',
      ].join('\n'),
    );

    const problems = checkDocuments(root, documentsOf(root));
    assert.deepEqual(problems.sort(), [
      'README.md:10: "docs/images/nothing.png" points to docs/images/nothing.png, which does not exist',
      'README.md:19: "docs/absent.md" points to docs/absent.md, which does not exist',
      'README.md:20: "docs/also-absent.md" points to docs/also-absent.md, which does not exist',
      'README.md:22: mentions ../shared, which a clone does not have',
      'README.md:26: "docs/cell-missing.md" points to docs/cell-missing.md, which does not exist',
      'README.md:7: "../outside.md" points outside the repository',
      'README.md:7: "docs/api.md#no-such-heading" names #no-such-heading, which is no heading of docs/api.md',
      'README.md:7: "docs/gone.md" points to docs/gone.md, which does not exist',
      'README.md:8: "/docs/api.md" is root-relative: GitHub and a local viewer resolve it differently, write it relative to this file',
      'README.md:8: "docs/images/missing.png" points to docs/images/missing.png, which does not exist',
      'README.md:8: "src.ts#top" names the anchor #top, which src.ts cannot have',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('README.md and docs/ link only to files and headings inside the repository', () => {
  const files = documentsOf(ROOT);
  assert.ok(files.includes('README.md') && files.includes('docs/api.md'), `documents found: ${files.join(', ')}`);
  const problems = checkDocuments(ROOT, files);
  assert.deepEqual(problems, [], `broken links:\n${problems.join('\n')}`);
});
