// The built page is CSP-strict: no inline script, Trusted Types enforced,
// nothing loaded from other origins, and analysis triggers no violation.
import { test, expect } from '@playwright/test';
import { openApp, expectNoProblems, fixture } from './helpers.mjs';

test('the page has a strict CSP, no inline script, and runs without violations', async ({ page }) => {
  const { problems, requests } = await openApp(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  for (const directive of [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "object-src 'none'",
    "base-uri 'none'",
    "require-trusted-types-for 'script'",
  ]) {
    expect(csp).toContain(directive);
  }
  expect(await page.locator('script:not([src])').count()).toBe(0);

  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', 'found');
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);

  // Everything the page itself loaded came from its own origin.
  const origin = new URL(page.url()).origin;
  const ownLoads = requests.filter((u) => !u.includes('?dns='));
  expect(ownLoads.length).toBeGreaterThan(3);
  for (const url of ownLoads) expect(new URL(url).origin).toBe(origin);
  expectNoProblems(problems);
});

test('a resolver outside the CSP allow-list is blocked and reported, not hidden', async ({ page }) => {
  const { requests } = await openApp(page);
  await page.locator('#doh-url').fill('https://doh.example.invalid/dns-query');
  await page.locator('#doh-url').dispatchEvent('change');
  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', 'unavailable');
  await expect(page.locator('#live-dmarc-value')).toContainText('could not be reached');
  expect(requests.some((u) => u.includes('doh.example.invalid'))).toBe(false);
  const violations = await page.evaluate(() => window.__cspViolations);
  expect(violations.length).toBeGreaterThan(0);
  for (const v of violations) expect(v).toMatch(/^connect-src https:\/\/doh\.example\.invalid\//);
});
