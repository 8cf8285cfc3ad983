// Headless Chromium for the browser tests: the system Chromium (Debian's, installed by CI with apt-get) via playwright-core.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is: CHROMIUM_PATH, else the Debian package's binary. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Why browser tests cannot run here, or null. On CI (CI=true) a missing Chromium is a failure, not a skip. */
export function browserSkipReason(): string | null {
  if (existsSync(chromiumPath) || process.env.CI) return null;
  return `no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
