// Japanese and English: chosen from the browser's language, switchable,
// remembered; the verdict, findings, checklists and headings follow.
import { test, expect } from '@playwright/test';
import { openApp, expectNoProblems, fixture, scenario } from './helpers.mjs';

async function analyseOffline(page, text) {
  await page.locator('#offline').check();
  await page.locator('#input').fill(text);
  await page.locator('#analyze').click();
  await expect(page.locator('#verdict')).toBeVisible();
}

test.describe('a Japanese browser', () => {
  test.use({ locale: 'ja-JP' });

  test('starts in Japanese', async ({ page }) => {
    const { problems } = await openApp(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.locator('#lang')).toHaveValue('ja');
    await expect(page.locator('#analyze')).toHaveText('分析する');
    await analyseOffline(page, fixture('postfix-to-gmail.txt'));
    await expect(page.locator('#report h2').filter({ hasText: '診断結果' })).toHaveCount(1);
    await expect(page.locator('#verdict')).toHaveText('ヘッダーに問題は見つかりませんでした。');
    await expect(page.locator('#verdict')).toHaveAttribute('data-outlook', 'clean');
    await expect(page.locator('#checklists caption').first()).toHaveText('Gmail：すべての送信者');
    // A bare PC name greeting the receiver's MX: the finding in Japanese,
    // with the mail clients' settings to change.
    await analyseOffline(page, scenario('pc-helo-direct-to-mx.txt').message);
    await expect(page.locator('#findings li[data-id="helo.not_fqdn"] .message')).toHaveText(
      'HELO/EHLO でパソコン名を名乗っています',
    );
    await expect(page.locator('#findings li[data-id="helo.not_fqdn"] .detail')).toContainText('秀丸メール');
    await expect(page.locator('#verdict')).toContainText('HELO/EHLO でパソコン名を名乗っている');
    expectNoProblems(problems);
  });
});

test('switching language redraws the report and is remembered', async ({ page }) => {
  const { problems } = await openApp(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await analyseOffline(page, fixture('postfix-to-gmail.txt'));
  const english = await page.locator('#verdict').textContent();
  expect(english).toMatch(/^(Probably|Likely|No problems)/);
  await page.locator('#lang').selectOption('ja');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.locator('#verdict')).not.toHaveText(english);
  await expect(page.locator('#verdict')).toContainText('。');
  await expect(page.locator('#input-heading')).toHaveText('メールヘッダー');
  await page.reload();
  await expect(page.locator('#lang')).toHaveValue('ja');
  await expect(page.locator('#input-heading')).toHaveText('メールヘッダー');
  await page.locator('#lang').selectOption('en');
  await expect(page.locator('#input-heading')).toHaveText('Message headers');
  expectNoProblems(problems);
});
