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

// The batch table's script (batch-client.js) is for a batch only: not
// fetched with the page, nor when the engine arrives; imported once, when
// the first batch starts.
const BATCH_CLIENT = /\/batch-client\.js$/;

test('the batch table is fetched only when a batch starts, and once', async ({ page }) => {
  const { problems, requests } = await openApp(page);
  const asked = () => requests.filter((u) => BATCH_CLIENT.test(u)).length;
  // The page is up and the engine is here (prefetched at idle): no batch table yet.
  await expect.poll(() => requests.filter((u) => ENGINE_WASM.test(u)).length).toBe(1);
  await expect(page.locator('script[src*="batch-client"]')).toHaveCount(0);
  await page.locator('#offline').check();
  // One file is a single report: still no batch table.
  await page.locator('#file').setInputFiles({ name: 'one.eml', mimeType: 'message/rfc822', buffer: Buffer.from(fixture('postfix-to-gmail.txt')) });
  await expect(page.locator('#hops tbody tr')).toHaveCount(4);
  expect(asked()).toBe(0);
  // Two files are a batch: the table's script is imported and the rows come.
  const two = ['a.eml', 'b.eml'].map((name) => ({ name, mimeType: 'message/rfc822', buffer: Buffer.from(fixture('postfix-to-gmail.txt')) }));
  await page.locator('#file').setInputFiles(two);
  await expect(page.locator('#batch-table tbody tr')).toHaveCount(2);
  await expect(page.locator('#batch-status')).toHaveText('2 messages analysed.');
  expect(asked()).toBe(1);
  // A second batch (three files) uses the module already imported.
  await page.locator('#file').setInputFiles([...two, { ...two[0], name: 'c.eml' }]);
  await expect(page.locator('#batch-table tbody tr')).toHaveCount(3);
  await expect(page.locator('#batch-status')).toHaveText('3 messages analysed.');
  expect(asked()).toBe(1);
  expectNoProblems(problems);
});
