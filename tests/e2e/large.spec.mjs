// Large inputs run in a Web Worker: the page stays responsive, the analysis
// can be cancelled, and a summary comes back (issue 6). Bound (measured by
// scripts/bench.sh): about 0.15 s per MB of Received headers, 0.02 s per MB
// of body, in WebAssembly on these machines.
import { test, expect } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { openApp, expectNoProblems, fixture } from './helpers.mjs';

function received(count) {
  const lines = [];
  for (let i = 0; i < count; i++) {
    lines.push(`Received: from h${i}.todoku.test ([192.0.2.${(i % 250) + 1}]) by h${i + 1}.todoku.test with ESMTPS; Mon, 23 Nov 2026 10:00:00 +0000\r\n`);
  }
  return lines.join('');
}

/** How long the page takes to answer a trivial script while the worker runs. */
async function pageLatency(page) {
  const t0 = Date.now();
  await page.evaluate(() => document.getElementById('analyze').textContent);
  return Date.now() - t0;
}

test('a 20 MB .eml is analysed in the background while the page stays responsive', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  const body = 'This is the body of a large message.\r\n'.repeat((20 << 20) / 38);
  const eml = `${received(200)}From: Taro <taro@shop.test>\r\nSubject: big\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <big@shop.test>\r\n\r\n${body}`;
  await page.locator('#file').setInputFiles({ name: 'big.eml', mimeType: 'message/rfc822', buffer: Buffer.from(eml) });
  await expect(page.locator('#large-status')).toBeVisible();
  expect(await pageLatency(page)).toBeLessThan(1000);
  await expect(page.locator('#verdict')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('#large-note')).toBeVisible();
  await expect(page.locator('#large-counts')).toContainText('· 200 ·');
  await expect(page.locator('#findings li').first()).toBeVisible();
  expectNoProblems(problems);
});

test('100 000 Received headers, then a 50 MB file that is cancelled', async ({ page }, info) => {
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  await page.locator('#file').setInputFiles({
    name: 'hops.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(`${received(100000)}From: a@shop.test\r\n\r\n`),
  });
  await expect(page.locator('#large-counts')).toContainText('· 100000 ·', { timeout: 60_000 });

  const huge = `${received(450000)}From: a@shop.test\r\n\r\n`;
  expect(huge.length).toBeGreaterThan(50 << 20);
  // Playwright passes more than 50 MB only as a file on disk.
  const path = info.outputPath('huge.txt');
  writeFileSync(path, huge);
  await page.locator('#file').setInputFiles(path);
  await expect(page.locator('#cancel')).toBeVisible();
  expect(await pageLatency(page)).toBeLessThan(1000);
  await page.locator('#cancel').click();
  await expect(page.locator('#large-status')).toHaveText('Analysis cancelled.');

  // The page is fully usable afterwards.
  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#findings li[data-id="dmarc.pass"]')).toBeVisible();
  await expect(page.locator('#verdict')).toHaveAttribute('data-outlook', 'clean');
  expectNoProblems(problems);
});

test('a mail loop: both ends of the chain are shown, the hops between are counted', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  await page.locator('#input').fill(`${received(250)}From: a@shop.test\r\n\r\n`);
  await page.locator('#analyze').click();
  await expect(page.locator('#findings li[data-id="received.loop"] .message')).toContainText('250 Received headers');
  // 100 oldest + 100 newest rows, and one row for the 50 in between.
  await expect(page.locator('#hops tbody tr:not(.omitted)')).toHaveCount(200);
  await expect(page.locator('#hops tr.omitted')).toHaveText('… 50 hops in between not read (a mail loop; see the finding)');
  await expect(page.locator('#hops tr.omitted + tr td.n')).toHaveText('151');
  expectNoProblems(problems);
});
