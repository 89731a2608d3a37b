// Issue 17's size budget: the page's first module (crates/todoku-web-shell)
// is the page before any input; the engine (crates/todoku-web: analysis,
// report, live checks, batch table) is a second module that www/engine.js
// loads on the first input or when the page is idle.
import { test, expect } from '@playwright/test';
import { openApp, expectNoProblems, fixture } from './helpers.mjs';

// The engine's wasm (content-hashed); the first module is todoku-web-shell-….
const ENGINE_WASM = /\/todoku-web-[0-9a-f]{16}_bg\.wasm$/;

// Held back by the page's own route (a service worker would answer from its
// cache instead).
test.use({ serviceWorkers: 'block' });

test('the page is usable before the engine arrives; input given meanwhile is analysed when it does', async ({ page }) => {
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  let asked = 0;
  await page.route(ENGINE_WASM, async (route) => {
    asked += 1;
    await held;
    await route.continue();
  });
  const { problems } = await openApp(page);
  // The first module drew the help, the samples and the resolver choice.
  await expect(page.locator('#clients details')).not.toHaveCount(0);
  await expect(page.locator('#samples button')).not.toHaveCount(0);
  await expect(page.locator('#doh-choice')).toBeVisible();
  // The language switch works without the engine, and the engine follows it.
  await page.locator('#lang').selectOption('ja');
  await expect(page.locator('#input-heading')).toHaveText('メールヘッダー');
  await expect(page.locator('#help-heading')).not.toHaveText('');
  await page.locator('#offline').check();
  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  // Asked for (at idle or by the click), not yet here: no report.
  await expect.poll(() => asked).toBeGreaterThan(0);
  await expect(page.locator('#verdict')).toHaveCount(0);
  release();
  await expect(page.locator('#hops tbody tr')).toHaveCount(4);
  await expect(page.locator('#verdict')).toHaveText('ヘッダーに問題は見つかりませんでした。');
  expect(asked).toBe(1);
  expectNoProblems(problems);
});

test('the first module is the shell; the engine is fetched once, after the page is up', async ({ page }) => {
  const { problems, requests } = await openApp(page);
  const boot = await page.locator('script[src^="./boot-"]').getAttribute('src');
  const loader = await (await page.request.get(new URL(boot, page.url()).href)).text();
  expect(loader).toMatch(/todoku-web-shell-[0-9a-f]{16}\.js/);
  expect(loader).not.toMatch(/todoku-web-[0-9a-f]{16}\.js/);
  // Prefetched at idle: there without any input.
  await expect.poll(() => requests.filter((u) => ENGINE_WASM.test(u)).length).toBe(1);
  await page.locator('#offline').check();
  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#hops tbody tr')).toHaveCount(4);
  await page.locator('#analyze').click();
  await expect(page.locator('#hops tbody tr')).toHaveCount(4);
  expect(requests.filter((u) => ENGINE_WASM.test(u))).toHaveLength(1);
  expectNoProblems(problems);
});
