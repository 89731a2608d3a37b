// The input as a whole (issue 17): a pasted bounce shows who was not
// reached and why, then the message that was rejected; a message forwarded
// with messages attached says which one it analyses and offers the others.
// Expected values are read from the fixtures (tests/fixtures/README.md).
import { test, expect } from '@playwright/test';
import { openApp, expectNoProblems, fixture } from './helpers.mjs';

async function analyseOffline(page, text) {
  await page.locator('#offline').check();
  await page.locator('#input').fill(text);
  await page.locator('#analyze').click();
  await expect(page.locator('#verdict')).toBeVisible();
}

test('a pasted DSN shows the recipient row, then the rejected message (English)', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#lang').selectOption('en');
  await analyseOffline(page, fixture('postfix-dsn-user-unknown.eml'));
  const section = page.locator('#whole-bounce');
  await expect(section.locator('h2').first()).toHaveText('This is a bounce (a delivery failure notice)');
  await expect(page.locator('#reporting-mta')).toHaveText('Reported by: mail.todoku.test');
  const row = page.locator('#recipients tr.recipient[data-address="hanako@example.test"]');
  await expect(row).toHaveCount(1);
  const cells = row.locator('td');
  await expect(cells.nth(0)).toHaveText('hanako@example.test');
  await expect(cells.nth(1)).toHaveText('5.1.1');
  await expect(cells.nth(2)).toContainText('mailbox does not exist');
  await expect(cells.nth(3)).toHaveText('mx.example.test');
  await expect(cells.nth(4)).toContainText('User unknown in virtual mailbox table');
  await expect(page.locator('#rejected-message')).toHaveText('The message that was rejected');
  // The analysis below is of the original: its Subject and From.
  await expect(page.locator('#summary dd').first()).toHaveText('Meeting on Friday');
  await expect(page.locator('#summary')).toContainText('taro@todoku.test');
  // The bounce section comes before the original's summary.
  const order = await page.evaluate(() => {
    const b = document.getElementById('whole-bounce');
    const s = document.getElementById('summary');
    return b.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  expect(order).toBeTruthy();
  expectNoProblems(problems);
});

test('the same DSN in Japanese', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#lang').selectOption('ja');
  await analyseOffline(page, fixture('postfix-dsn-user-unknown.eml'));
  await expect(page.locator('#whole-bounce h2').first()).toHaveText('これはエラー通知（配信不能通知）です');
  await expect(page.locator('#recipients th').first()).toHaveText('宛先');
  const row = page.locator('#recipients tr.recipient[data-address="hanako@example.test"]');
  await expect(row.locator('td').nth(1)).toHaveText('5.1.1');
  await expect(row.locator('td').nth(2)).toContainText('メールボックスが存在しません');
  await expect(page.locator('#rejected-message')).toHaveText('拒否されたメッセージ');
  expectNoProblems(problems);
});

test('a message forwarded with two attached messages offers both', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#lang').selectOption('en');
  await analyseOffline(page, fixture('forwarded-as-attachment.eml'));
  await expect(page.locator('#attached-heading')).toHaveText('Analysing the attached message (1 of 2)');
  await expect(page.locator('#summary dd').first()).toHaveText('Invoice overdue');
  await expect(page.locator('#attachment-0')).toHaveAttribute('aria-current', 'true');
  await page.locator('#attachment-1').click();
  await expect(page.locator('#attached-heading')).toHaveText('Analysing the attached message (2 of 2)');
  await expect(page.locator('#summary dd').first()).toHaveText('second attachment');
  await page.locator('#lang').selectOption('ja');
  await expect(page.locator('#attached-heading')).toHaveText('添付されたメッセージを分析しています（2 件中 2 件目）');
  expectNoProblems(problems);
});
