import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

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
