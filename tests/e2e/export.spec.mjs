// Exports, all made in the page: Markdown, the JSON report (the CLI's
// schema), and a redacted copy of the pasted headers.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openApp, expectNoProblems, fixture, scenario } from './helpers.mjs';

test('Markdown, JSON download and a redacted copy', async ({ page }) => {
  const { problems, requests } = await openApp(page);
  await page.locator('#offline').check();
  const text = page.locator('#export-text');

  // A message with a finding to fix: the Markdown names it.
  await page.locator('#input').fill(scenario('pc-helo-direct-to-mx.txt').message);
  await page.locator('#analyze').click();
  await expect(page.locator('#findings li[data-id="helo.not_fqdn"]')).toBeVisible();
  await page.locator('#export-md').click();
  await expect(text).toBeVisible();
  const withFinding = await text.inputValue();
  expect(withFinding.startsWith('# Todoku report\n\n**')).toBe(true);
  expect(withFinding).toContain('(`helo.not_fqdn`)');
  expect(withFinding).toContain('OFFICE-PC01');

  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#verdict')).toHaveAttribute('data-outlook', 'clean');
  const before = requests.length;

  await page.locator('#export-md').click();
  await expect(text).toBeVisible();
  const md = await text.inputValue();
  expect(md.startsWith('# Todoku report\n\n**No problems found in the headers.**')).toBe(true);
  expect(md).not.toContain('helo.not_fqdn');
  expect(md).toContain('## Gmail: all senders');
  await expect(page.locator('#export-status')).not.toHaveText('');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
  expect(download.suggestedFilename()).toBe('todoku-report.json');
  const json = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(json.summary.subject).toBe('月例会議のご案内');
  expect(json.hops).toHaveLength(4);
  expect(json.checklists.map((c) => c.id)).toEqual(['gmail_all', 'gmail_bulk', 'yahoo', 'outlook_high_volume']);

  await page.locator('#redact-ips').check();
  await page.locator('#export-redacted').click();
  const redacted = await text.inputValue();
  expect(redacted).toContain('<redacted@todoku.test>');
  expect(redacted).not.toContain('taro@');
  expect(redacted).not.toContain('198.51.100.77');
  expect(redacted).toContain('DESKTOP-7QK3');

  // Nothing left the page for any of this (the download is a blob: URL).
  expect(requests.slice(before).filter((u) => !u.startsWith('blob:'))).toEqual([]);
  expectNoProblems(problems);
});
