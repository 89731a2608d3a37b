// Installable and offline: manifest, service worker, and a full analysis
// after going offline. DoH traffic is never intercepted or cached.
import { test, expect } from '@playwright/test';
import { openApp, expectNoProblems, fixture, doh } from './helpers.mjs';

async function controlled(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first visit installs the worker; it takes control (clients.claim).
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

test('the web app manifest is valid and its icons are served', async ({ page }) => {
  const { problems } = await openApp(page);
  const href = await page.locator('link[rel=manifest]').getAttribute('href');
  const manifest = await (await page.request.get(new URL(href, page.url()).href)).json();
  expect(manifest.display).toBe('standalone');
  expect(manifest.start_url).toBe('./');
  const sizes = manifest.icons.map((i) => `${i.sizes}${i.purpose ? ' ' + i.purpose : ''}`);
  expect(sizes).toEqual(['192x192', '512x512', '512x512 maskable']);
  for (const icon of manifest.icons) {
    const res = await page.request.get(new URL(icon.src, page.url()).href);
    expect(res.headers()['content-type']).toBe('image/png');
    expect((await res.body()).subarray(1, 4).toString()).toBe('PNG');
  }
  expectNoProblems(problems);
});

test('after one visit the app works offline; live checks say why they are missing', async ({ page, context }) => {
  const { problems } = await openApp(page);
  await controlled(page);
  // Use it once online so the DoH request happens, then check it was not cached.
  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', 'found');
  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) urls.push(req.url);
    }
    return urls;
  });
  // Both modules: the page's first (the shell) and the engine it loads on
  // the first input (issue 17), so an analysis works offline too.
  expect(cached.filter((u) => /\/todoku-web-shell-[0-9a-f]{16}_bg\.wasm$/.test(u))).toHaveLength(1);
  expect(cached.filter((u) => /\/todoku-web-[0-9a-f]{16}_bg\.wasm$/.test(u))).toHaveLength(1);
  expect(cached.filter((u) => /\/engine\.js$/.test(u))).toHaveLength(1);
  expect(cached.some((u) => u.endsWith('/index.html'))).toBe(true);
  expect(cached.filter((u) => u.includes('dns-query') || u.includes(new URL(doh()).origin))).toEqual([]);
  expectNoProblems(problems);

  await context.setOffline(true);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.reload();
  await expect(page.locator('#analyze')).toBeEnabled();
  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#hops tbody tr')).toHaveCount(4);
  await expect(page.locator('#findings li[data-id="dmarc.pass"]')).toHaveCount(1);
  await expect(page.locator('#verdict')).toHaveText('No problems found in the headers.');
  await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', 'unavailable');
  await expect(page.locator('#live-dmarc-value')).toContainText('could not be reached');
  expect(errors).toEqual([]);
  await context.setOffline(false);
});

test('after one visit without a batch, a batch works offline: its script was precached, not loaded', async ({ page, context }) => {
  const { problems, requests } = await openApp(page);
  await controlled(page);
  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) urls.push(req.url);
    }
    return urls;
  });
  // In the cache for offline use, though the page has not run it.
  expect(cached.filter((u) => /\/batch-client\.js$/.test(u))).toHaveLength(1);
  expect(await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/batch-client.js')).length)).toBe(0);
  expect(requests.filter((u) => u.endsWith('/batch-client.js'))).toEqual([]);
  expectNoProblems(problems);

  await context.setOffline(true);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.reload();
  await expect(page.locator('#analyze')).toBeEnabled();
  const eml = (name) => ({ name, mimeType: 'message/rfc822', buffer: Buffer.from(fixture('postfix-to-gmail.txt')) });
  await page.locator('#file').setInputFiles([eml('a.eml'), eml('b.eml')]);
  await expect(page.locator('#batch-table tbody tr')).toHaveCount(2);
  await expect(page.locator('#batch-status')).toHaveText('2 messages analysed.');
  await expect(page.locator('#batch-table tbody tr[data-verdict="clean"]')).toHaveCount(2);
  expect(errors).toEqual([]);
  await context.setOffline(false);
});

test('DoH questions go straight to the network: a static route, not the worker', async ({ page }) => {
  const { problems } = await openApp(page);
  await controlled(page);
  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#report')).toHaveAttribute('data-live', 'done');
  const entries = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('dns-query'))
      .map((e) => ({ url: e.name, matched: e.workerMatchedSourceType, final: e.workerFinalSourceType })),
  );
  // An idle worker would otherwise have to start before each live check's
  // first question (about 20 ms per check on the test machine).
  expect(entries.length).toBeGreaterThan(0);
  for (const e of entries) expect(e, e.url).toMatchObject({ matched: 'network', final: 'network' });
  expectNoProblems(problems);
});
