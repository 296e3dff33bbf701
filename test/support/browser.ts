import { existsSync } from 'node:fs';
import { type Browser, type Page, chromium } from 'playwright-core';

export const CHROMIUM = process.env.GAVEL_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why browser tests cannot run here, or null when they can. Without Chromium
 * they are skipped with this message, unless GAVEL_REQUIRE_SERVICES=1 (CI),
 * where a missing browser fails the run instead.
 */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const message = `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
  if (process.env.GAVEL_REQUIRE_SERVICES === '1') throw new Error(message);
  return message;
}

/** Debian's Chromium, headless, with the flags this sandbox needs (running as root, no outside network). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** Console errors, uncaught exceptions, failed requests and error answers of one page, as they happen. */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText;
    // A live stream the page closes itself on leaving a view (EventSource.close()) ends as "aborted": by
    // design, and silent in the console. A stream the server refuses is an error answer, caught below.
    if (request.resourceType() === 'eventsource' && reason === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.method()} ${request.url()} (${reason})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400)
      problems.push(`${response.status()} for ${response.request().method()} ${response.url()}`);
  });
  return problems;
}
