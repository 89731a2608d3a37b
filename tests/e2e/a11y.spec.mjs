// Accessibility: axe-core (WCAG 2 A/AA rules) finds no violation on the
// empty page or on a full report, in English and Japanese, light and dark.
// axe is evaluated through the DevTools protocol, so the page's strict CSP
// stays as it is.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, expectNoProblems, fixture, repo } from './helpers.mjs';

const AXE = readFileSync(join(repo, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

async function violations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

for (const scheme of ['light', 'dark']) {
  test(`no axe violations, ${scheme}, empty page and report in both languages`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const { problems } = await openApp(page);
    expect(await violations(page), 'empty page').toEqual([]);
    await page.locator('#offline').check();
    await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
    await page.locator('#analyze').click();
    await expect(page.locator('#live')).toHaveAttribute('data-status', 'done');
    expect(await violations(page), 'English report').toEqual([]);
    await page.locator('#lang').selectOption('ja');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    expect(await violations(page), 'Japanese report').toEqual([]);
    expectNoProblems(problems);
  });
}
