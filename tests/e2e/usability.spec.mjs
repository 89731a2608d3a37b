// The report is usable before DNS answers arrive, shows progress, works
// from the keyboard and fits a phone.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, expectNoProblems, repo, doh, fixture } from './helpers.mjs';
import { parseScenario, serveZone } from './scenario-dns.mjs';

test('the offline report is there at once; live answers are counted as they arrive', async ({ page }) => {
  const { problems } = await openApp(page);
  const { meta, message } = parseScenario(
    readFileSync(join(repo, 'tests', 'scenarios', 'pc-helo-softfail-temperror.txt'), 'utf8'),
  );
  await serveZone(page, doh(), meta.zone, 400);
  await page.locator('#input').fill(message);
  // Every text the progress line shows while the checks are pending, as it
  // happens: the line lives only between the first answers and the end
  // (a few hundred milliseconds here), too short to catch by polling.
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const line = document.getElementById('live-progress');
      const pending = document.getElementById('live')?.getAttribute('data-status') === 'pending';
      if (line && pending && line.textContent) window.__progress.push(line.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.locator('#analyze').click();
  // Findings from the headers are shown while DNS is still pending.
  await expect(page.locator('#findings li[data-id="spf.softfail"]')).toBeVisible();
  await expect(page.locator('#live')).toHaveAttribute('data-status', 'pending');
  await expect(page.locator('#report')).toHaveAttribute('data-live', 'done', { timeout: 20_000 });
  const progress = await page.evaluate(() => window.__progress);
  expect(progress.some((t) => /DNS answers so far: [1-9]/.test(t)), JSON.stringify(progress)).toBe(true);
  await expect(page.locator('#findings li[data-id="dns.transient"]')).toBeVisible();
  expectNoProblems(problems);
});

test('keyboard only: paste, Tab to Analyze, Enter', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  await page.locator('#input').focus();
  await page.keyboard.insertText(fixture('postfix-to-gmail.txt'));
  await page.keyboard.press('Tab');
  await expect(page.locator('#analyze')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#verdict')).toBeVisible();
  expectNoProblems(problems);
});

test('a phone-sized screen has no sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#live')).toHaveAttribute('data-status', 'done');
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  // A report with every live section filled in, and the Japanese text.
  const { meta, message } = parseScenario(
    readFileSync(join(repo, 'tests', 'scenarios', 'bulk-esp-not-aligned.txt'), 'utf8'),
  );
  await page.locator('#offline').uncheck();
  await serveZone(page, doh(), meta.zone);
  await page.locator('#input').fill(message);
  await page.locator('#analyze').click();
  await expect(page.locator('#report')).toHaveAttribute('data-live', 'done');
  await page.locator('#dns-evidence').evaluate((d) => {
    d.open = true;
  });
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.locator('#lang').selectOption('ja');
  expect(await overflow()).toBeLessThanOrEqual(0);
  expectNoProblems(problems);
});
