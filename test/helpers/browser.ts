// Headless Chromium for the browser tests: the system Chromium (Debian's, installed by CI with apt-get) via playwright-core.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startRetain, type Running } from '../../src/server/start.ts';

/** Where Chromium is: CHROMIUM_PATH, else the Debian package's binary. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Launches Chromium; without it the browser tests fail (never skip) and say how to install it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: install it (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH.`,
    );
  }
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

export interface Dashboard {
  running: Running;
  /** The server's temporary data folder. */
  dataDir: string;
  /** Launches Chromium and opens a page (en-US, UTC) that collects page errors and console errors in `errors`. */
  openPage(options?: {
    viewport?: { width: number; height: number };
    timeoutMs?: number;
    ignoreConsole?: RegExp;
  }): Promise<DashboardPage>;
}

export interface DashboardPage {
  page: Page;
  errors: string[];
  /** Fills the sign-in form with `key` and submits it. */
  submitKey(key: string): Promise<void>;
  /** Opens the dashboard and signs in with `adminKey`: on the Overview afterwards. */
  signIn(adminKey: string): Promise<void>;
}

/**
 * Retain in-process on PGlite in a temporary data folder, on a free port (building the dashboard if dist/web is missing).
 * The browser, the server and the folder are closed and removed after the test `t`.
 */
export async function startDashboard(t: TestContext, name?: string): Promise<Dashboard> {
  const dataDir = mkdtempSync(join(tmpdir(), `retain-e2e-${name ? `${name}-` : ''}`));
  // eslint-disable-next-line prefer-const -- declared before t.after, so the folder is removed even when the start fails
  let running: Running | undefined;
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  running = await startRetain({
    config: { port: 0, host: '127.0.0.1', dataDir, databaseUrl: undefined, logLevel: 'warn' },
  });
  const url = running.url;

  async function openPage({
    viewport = { width: 1280, height: 900 },
    timeoutMs = 10_000,
    ignoreConsole,
  }: Parameters<Dashboard['openPage']>[0] = {}) {
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !ignoreConsole?.test(msg.text())) errors.push(msg.text());
    });
    page.setDefaultTimeout(timeoutMs);
    const submitKey = async (key: string) => {
      await page.locator('input[name=adminKey]').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };
    const signIn = async (adminKey: string) => {
      await page.goto(url);
      await submitKey(adminKey);
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
    };
    return { page, errors, submitKey, signIn };
  }

  return { running, dataDir, openPage };
}

/** Polls `check` until it returns a value (not undefined), or fails with the error of the last check, if it threw. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
