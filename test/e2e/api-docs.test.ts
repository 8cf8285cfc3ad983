// Browser test of the API docs (/docs, Swagger UI) under the Content-Security-Policy every answer carries (issue
// 11.7): the page renders its operations with no script or style refused (Chromium reports a refusal as a console error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from '../helpers/browser.ts';
import { serve } from '../http/server.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/http/security-headers.ts';

test('the API docs render under the security policy, with no console error', { timeout: 90_000 }, async (t) => {
  const s = await serve();
  const browser = await launchBrowser();
  t.after(async () => {
    await browser.close();
    await s.close();
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  const res = await page.goto(`${s.url}/docs/`);
  assert.equal(res?.headers()['content-security-policy'], CONTENT_SECURITY_POLICY);
  await page.getByText('Retain API').first().waitFor({ timeout: 30_000 });
  await page.getByText('/v1/batch', { exact: true }).first().waitFor({ timeout: 30_000 });
  assert.deepEqual(errors, [], 'no errors in the browser console');
});
