/// <reference lib="dom" />
/**
 * Renders the demo auctions' pictures (used by `npm run demo`): every
 * scripts/demo-images/src/<slug>.svg becomes an 800×600 scripts/demo-images/<slug>.webp,
 * drawn and encoded by Debian's Chromium (canvas → WebP, so no image tool is needed).
 *
 *   node --import tsx scripts/demo-images/render.ts [--preview <dir>] [slug …]
 *
 * With slugs, only those are rendered. --preview also saves each encoded WebP,
 * decoded again by Chromium, as <dir>/<slug>.png, to look at the result.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../../test/support/browser.ts';

const WIDTH = 800;
const HEIGHT = 600;
/** WebP quality (0–1): flat art with soft gradients stays clean and small at this setting. */
const QUALITY = 0.9;

const dir = fileURLToPath(new URL('.', import.meta.url));
const { values, positionals } = parseArgs({ options: { preview: { type: 'string' } }, allowPositionals: true });
const slugs = positionals.length
  ? positionals
  : readdirSync(join(dir, 'src'))
      .filter((f) => f.endsWith('.svg'))
      .map((f) => f.slice(0, -'.svg'.length))
      .sort();
const previewDir = values.preview ? resolve(values.preview) : undefined;
if (previewDir) mkdirSync(previewDir, { recursive: true });

const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
  for (const slug of slugs) {
    const svg = readFileSync(join(dir, 'src', `${slug}.svg`)).toString('base64');
    const dataUrl = await page.evaluate(
      async ({ svg, width, height, quality }) => {
        const image = new Image(width, height);
        image.src = `data:image/svg+xml;base64,${svg}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = width;
        canvas.height = height;
        canvas.getContext('2d', { alpha: false })!.drawImage(image, 0, 0, width, height);
        return canvas.toDataURL('image/webp', quality);
      },
      { svg, width: WIDTH, height: HEIGHT, quality: QUALITY },
    );
    // A canvas that cannot encode WebP quietly falls back to PNG: refuse rather than save a mislabelled file.
    if (!dataUrl.startsWith('data:image/webp;base64,')) throw new Error(`Chromium did not encode ${slug} as WebP`);
    const out = join(dir, `${slug}.webp`);
    writeFileSync(out, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    console.log(`${slug}.webp  ${(statSync(out).size / 1024).toFixed(1)} KB`);

    if (previewDir) {
      await page.setContent(`<body style="margin:0"><img src="${dataUrl}" width="${WIDTH}" height="${HEIGHT}">`);
      await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      await page.locator('img').screenshot({ path: join(previewDir, `${slug}.png`) });
      await page.setContent('');
    }
  }
} finally {
  await browser.close();
}
