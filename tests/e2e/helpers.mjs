// Shared helpers for the end-to-end specs.
import { expect } from '@playwright/test';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseScenario } from './scenario-dns.mjs';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
// ../shared/corpora, or TODOKU_CORPORA (an absolute path) as for cargo test.
export const shared = process.env.TODOKU_CORPORA || join(repo, '..', 'shared', 'corpora');

export function doh() {
  const url = process.env.TODOKU_TEST_DOH;
  if (!url) throw new Error('TODOKU_TEST_DOH must name the local DoH endpoint (scripts/test.sh sets it)');
  return url;
}

export function fixture(name) {
  return readFileSync(join(repo, 'tests', 'fixtures', name), 'utf8');
}

/** A diagnosis scenario (tests/scenarios/NAME): its metadata and the message to paste. */
export function scenario(name) {
  return parseScenario(readFileSync(join(repo, 'tests', 'scenarios', name), 'utf8'));
}

/**
 * A corpus file, or null (with a visible SKIPPED) when ../shared/corpora is
 * absent in a user's clone; under CI (`CI` set, as .ci/run does) an absent
 * corpus is an error, never a skip.
 */
export function corpus(path) {
  const file = join(shared, path);
  if (!existsSync(file)) {
    if (process.env.CI) {
      throw new Error(`../shared/corpora/${path} not found, and CI is set: CI must run every corpus test`);
    }
    console.log(`SKIPPED: ../shared/corpora/${path} not found (a user's clone); CI always has it`);
    return null;
  }
  return readFileSync(file, 'latin1');
}

/**
 * Opens the app with the local DoH endpoint configured, failing the test on
 * any console error or uncaught exception, and recording every request.
 */
export async function openApp(page) {
  const problems = [];
  const requests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('request', (req) => requests.push(req.url()));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  await page.goto('./');
  await expect(page.locator('#analyze')).toBeEnabled();
  // Open the settings by property, not by a click: a click lands on
  // coordinates, and a layout shift in between (seen once in CI) leaves the
  // panel closed and the next fill waiting for a hidden field.
  await page.locator('details.settings').evaluate((d) => {
    d.open = true;
  });
  await expect(page.locator('#doh-url')).toBeVisible();
  await page.locator('#doh-url').fill(doh());
  await page.locator('#doh-url').dispatchEvent('change');
  return { problems, requests };
}

export function expectNoProblems(problems) {
  expect(problems, 'console errors or uncaught exceptions').toEqual([]);
}
