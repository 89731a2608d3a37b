// The diagnosis scenarios (tests/scenarios) in the page: each message is
// pasted with its own DNS served to the page's DoH client, and the findings
// and verdict the scenario names must be shown once the live checks are in.
import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, expectNoProblems, repo, doh } from './helpers.mjs';
import { parseScenario, serveZone } from './scenario-dns.mjs';

const dir = join(repo, 'tests', 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

test('the scenario set is there', () => {
  expect(files.length).toBeGreaterThanOrEqual(9);
});

for (const file of files) {
  test(`scenario ${file}`, async ({ page }, info) => {
    const { meta, message } = parseScenario(readFileSync(join(dir, file), 'utf8'));
    const { problems } = await openApp(page);
    await serveZone(page, doh(), meta.zone);
    if (meta.offline) await page.locator('#offline').check();
    await page.locator('#input').fill(message);
    await page.locator('#analyze').click();
    // A bounce is judged by the rejection it reports: no live checks are
    // attached to it (the bounce's own DNS says nothing), so there is no
    // data-live to wait for.
    const isBounce = Boolean(meta.bounce && meta.bounce.length);
    if (isBounce) {
      await expect(page.locator('#bounce')).toBeVisible({ timeout: 15_000 });
    } else {
      await expect(page.locator('#report')).toHaveAttribute('data-live', 'done', { timeout: 15_000 });
    }
    for (const id of meta.expect) {
      await expect(page.locator(`#findings li[data-id="${id}"]`).first(), `finding ${id}`).toBeVisible();
    }
    for (const id of meta.forbid) {
      await expect(page.locator(`#findings li[data-id="${id}"]`), `no finding ${id}`).toHaveCount(0);
    }
    if (meta.outlook) {
      await expect(page.locator('#verdict')).toHaveAttribute('data-outlook', meta.outlook);
    }
    if (meta.noErrors) {
      await expect(page.locator('#findings li[data-severity="error"]')).toHaveCount(0);
    }
    for (const { list, item, state } of meta.checks) {
      await expect(
        page.locator(`#checklists table[data-list="${list}"] tr[data-item="${item}"]`),
        `${list}.${item}`,
      ).toHaveAttribute('data-state', state);
    }
    if (meta.bounce) {
      // The decoded rejection codes, each once; none for an ordinary message.
      await expect(page.locator('#bounce li')).toHaveCount(meta.bounce.length);
      for (const code of meta.bounce) {
        await expect(page.locator(`#bounce li[data-code="${code}"]`), `bounce ${code}`).toHaveCount(1);
      }
    }
    if (meta.subject) {
      await expect(page.locator('#report')).toContainText(meta.subject);
    }
    if (meta.verdict) {
      await expect(page.locator('#verdict')).toContainText(meta.verdict);
    }
    // The root causes name this message's records (the English line).
    for (const { id, text } of meta.details) {
      await expect(page.locator(`#findings li[data-id="${id}"]`).filter({ hasText: text })).not.toHaveCount(0);
    }
    await page.screenshot({ path: info.outputPath(`${file}.png`), fullPage: true });
    // The same report in Japanese: verdict, checklists and findings follow.
    await page.locator('#lang').selectOption('ja');
    if (isBounce) {
      // A rejection's verdict; a bounce has no sender checklists.
      await expect(page.locator('#verdict')).toContainText(/拒否|保留/);
    } else {
      await expect(page.locator('#verdict')).toContainText(/理由：|見つかりませんでした/);
      await expect(page.locator('#checklists caption').first()).toHaveText('Gmail：すべての送信者');
    }
    for (const id of meta.expect) {
      await expect(page.locator(`#findings li[data-id="${id}"]`).first()).toBeVisible();
    }
    // In Japanese (issue 18: no English sentence) the same records are
    // named: every domain or address of the English line.
    for (const { id, text } of meta.details) {
      for (const name of text.split(/\s+/).filter((w) => w.includes('.')).map((w) => w.replace(/[.,;:)]+$/, ''))) {
        await expect(page.locator(`#findings li[data-id="${id}"]`).filter({ hasText: name }), `${id} names ${name}`).not.toHaveCount(0);
      }
    }
    await page.screenshot({ path: info.outputPath(`${file}.ja.png`), fullPage: true });
    expectNoProblems(problems);
  });
}

test('a pasted Gmail rejection is decoded and points to the finding', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#input').fill(
    '550-5.7.26 Unauthenticated email from shop.test is not accepted due to\n' +
      "550-5.7.26 domain's DMARC policy. Please contact the administrator of\n" +
      '550 5.7.26 shop.test domain. a1si123 - gsmtp\n',
  );
  await page.locator('#analyze').click();
  await expect(page.locator('#verdict')).toContainText('Rejected with 5.7.26');
  await expect(page.locator('#verdict')).toHaveAttribute('data-outlook', 'filtered');
  const code = page.locator('#bounce li[data-code="5.7.26"]');
  await expect(code).toHaveCount(1);
  await expect(code).toContainText('Gmail');
  await expect(code.locator('[data-finding="dmarc.fail"]')).toHaveCount(1);
  expectNoProblems(problems);
});

test('the hop timeline marks encryption and clock skew', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  for (const [file, check] of [
    ['plaintext-final-hop.txt', async () => {
      await expect(page.locator('#timeline g[data-tls="plain"]')).toHaveCount(1);
    }],
    ['clock-skew.txt', async () => {
      await expect(page.locator('#timeline g[data-skew]')).toHaveCount(1);
      await expect(page.locator('#timeline g[data-skew] text.skew')).toContainText('s');
      // ESMTPS, ESMTPSA, ESMTPSA in the scenario's three Received lines.
      await expect(page.locator('#timeline g[data-tls="tls"]')).toHaveCount(3);
    }],
  ]) {
    const { message } = parseScenario(readFileSync(join(dir, file), 'utf8'));
    await page.locator('#input').fill(message);
    await page.locator('#analyze').click();
    await expect(page.locator('#timeline')).toHaveAttribute('role', 'img');
    await check();
  }
  expectNoProblems(problems);
});
