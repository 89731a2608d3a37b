// The batch table (issue 17): an mbox and .eml files dropped or chosen at
// once give one row per message, sortable and filterable, a summary by
// sending domain in both languages, and each row opens its full report.
// The messages are written here: three in a mailbox (two with a recorded SPF
// softfail from 203.0.113.45), two as .eml files (one more softfail).
import { test, expect } from '@playwright/test';
import { openApp, expectNoProblems } from './helpers.mjs';

function message({ from, domain, ip, spf, subject, date, id }) {
  return [
    `Authentication-Results: mx.example.org; spf=${spf} smtp.mailfrom=${from}; dkim=none; dmarc=none header.from=${domain}`,
    `Received: from out.${domain} (out.${domain} [${ip}])`,
    `\tby mx.example.org with ESMTPS id ${id}; ${date}`,
    `From: <${from}>`,
    'To: <someone@example.org>',
    `Subject: ${subject}`,
    `Date: ${date}`,
    `Message-ID: <${id}@${domain}>`,
    '',
    'Hello.',
    '',
  ].join('\n');
}

const shop = { from: 'news@shop.example.co.jp', domain: 'shop.example.co.jp', ip: '203.0.113.45', spf: 'softfail' };
const club = { from: 'desk@club.example.net', domain: 'club.example.net', ip: '198.51.100.7', spf: 'pass' };

const mbox = [
  ['Mon Dec  1 09:00:00 2025', message({ ...shop, subject: 'Sale one', date: 'Mon, 1 Dec 2025 09:00:00 +0900', id: 'm1' })],
  ['Wed Dec  3 09:00:00 2025', message({ ...shop, subject: 'Sale two', date: 'Wed, 3 Dec 2025 09:00:00 +0900', id: 'm2' })],
  ['Tue Dec  2 09:00:00 2025', message({ ...club, subject: 'Weekly digest', date: 'Tue, 2 Dec 2025 09:00:00 +0900', id: 'm3' })],
]
  .map(([when, text]) => `From sender@example ${when}\n${text}`)
  .join('\n');

const files = [
  { name: 'inbox.mbox', mimeType: 'application/mbox', buffer: Buffer.from(mbox) },
  {
    name: 'alpha.eml',
    mimeType: 'message/rfc822',
    buffer: Buffer.from(message({ ...shop, subject: 'Alpha offer', date: 'Thu, 4 Dec 2025 09:00:00 +0900', id: 'e1' })),
  },
  {
    name: 'zulu.eml',
    mimeType: 'message/rfc822',
    buffer: Buffer.from(message({ ...club, subject: 'Zulu report', date: 'Fri, 5 Dec 2025 09:00:00 +0900', id: 'e2' })),
  },
];

const subjects = (page) => page.locator('#batch-table tbody tr td:nth-child(4)').allTextContents();

test('an mbox and two .eml files give a sortable, filterable batch table with a summary', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  await page.locator('#file').setInputFiles(files);

  const rows = page.locator('#batch-table tbody tr');
  await expect(rows).toHaveCount(5);
  await expect(page.locator('#batch-status')).toHaveText('5 messages analysed.');
  await expect(page.locator('#batch-cancel')).toBeHidden();
  // Files in order, the mailbox's messages in its order.
  expect(await subjects(page)).toEqual(['Sale one', 'Sale two', 'Weekly digest', 'Alpha offer', 'Zulu report']);

  // Sorting: by subject, both ways; by date.
  await page.locator('#batch-table th[data-key="subject"] button').click();
  expect(await subjects(page)).toEqual(['Alpha offer', 'Sale one', 'Sale two', 'Weekly digest', 'Zulu report']);
  await expect(page.locator('#batch-table th[data-key="subject"]')).toHaveAttribute('aria-sort', 'ascending');
  await page.locator('#batch-table th[data-key="subject"] button').click();
  expect(await subjects(page)).toEqual(['Zulu report', 'Weekly digest', 'Sale two', 'Sale one', 'Alpha offer']);
  await page.locator('#batch-table th[data-key="date"] button').click();
  expect(await subjects(page)).toEqual(['Sale one', 'Weekly digest', 'Sale two', 'Alpha offer', 'Zulu report']);

  // The filter: the three softfail messages only.
  await page.locator('#batch-filter').selectOption('spf.softfail');
  expect(await subjects(page)).toEqual(['Sale one', 'Sale two', 'Alpha offer']);
  await page.locator('#batch-filter').selectOption('');
  await expect(rows).toHaveCount(5);

  // The summary by sending domain: three of three from the shop, softfail
  // among their problems, from the one address.
  const shopLine = page.locator('#batch-summary li', { hasText: 'shop.example.co.jp' });
  await expect(shopLine).toContainText('3 of 3 messages from shop.example.co.jp:');
  await expect(shopLine).toContainText('203.0.113.45');
  await expect(page.locator('#batch-totals')).toContainText('5 messages:');

  await page.locator('#lang').selectOption('ja');
  await expect(page.locator('#batch-summary li', { hasText: 'shop.example.co.jp' }))
    .toContainText('shop.example.co.jp からの 3 通のうち 3 通:');
  await expect(page.locator('#batch-status')).toHaveText('5 通を分析しました。');
  await expect(page.locator('#batch-table th[data-key="subject"]')).toHaveText('件名');
  await page.locator('#lang').selectOption('en');

  // A row opens that message's full report (a mailbox message, read again
  // from its place in the file).
  await page.locator('#batch-table tbody tr', { hasText: 'Weekly digest' }).click();
  await expect(page.locator('#summary')).toContainText('Weekly digest');
  await expect(page.locator('#summary')).toContainText('desk@club.example.net');
  await page.locator('#batch-table tbody tr', { hasText: 'Alpha offer' }).click();
  await expect(page.locator('#summary')).toContainText('Alpha offer');
  expectNoProblems(problems);
});

// Issue 17 (export): the buttons download every row, in input order: CSV
// with a UTF-8 BOM (Excel in Japan), RFC 4180 quoting and a formula guard;
// JSON lines, one row per line with its file and place in the mailbox.
test('the batch table exports CSV and JSON lines', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  const formula = message({ ...shop, subject: '=HYPERLINK("http://x.test"), 月例', date: 'Sat, 6 Dec 2025 09:00:00 +0900', id: 'f1' });
  await page.locator('#file').setInputFiles([
    files[0],
    { name: 'formula.eml', mimeType: 'message/rfc822', buffer: Buffer.from(formula) },
  ]);
  await expect(page.locator('#batch-status')).toHaveText('4 messages analysed.');

  const fetch = async (button) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
    const chunks = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk);
    return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
  };
  await expect(page.locator('#batch-export-csv')).toHaveText('Download CSV');
  const csv = await fetch('#batch-export-csv');
  expect(csv.name).toBe('todoku-batch.csv');
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.bytes.toString('utf8').slice(1).split('\r\n');
  expect(lines[0].startsWith('index,source,file,message,offset,date,from,from_domain,subject,verdict,top_finding.id,')).toBe(true);
  expect(lines[1]).toContain(',inbox.mbox #1,inbox.mbox,0,0,');
  expect(lines[1]).toContain(',Sale one,');
  expect(lines[1]).toContain(',spf.softfail,');
  expect(lines[2]).toContain(',inbox.mbox #2,inbox.mbox,1,');
  expect(lines[3]).toContain(',Weekly digest,');
  // The formula is text (a leading apostrophe), quoted for its comma and quotes.
  expect(lines[4]).toContain(',formula.eml,formula.eml,,,');
  expect(lines[4]).toContain(',"\'=HYPERLINK(""http://x.test""), 月例",');
  expect(lines[5]).toBe('');
  expect(lines).toHaveLength(6);

  const jsonl = await fetch('#batch-export-jsonl');
  expect(jsonl.name).toBe('todoku-batch.jsonl');
  const rows = jsonl.bytes.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(rows.map((r) => r.subject)).toEqual(['Sale one', 'Sale two', 'Weekly digest', '=HYPERLINK("http://x.test"), 月例']);
  expect(rows.map((r) => r.message)).toEqual([0, 1, 2, null]);
  expect(rows[1].offset).toBe(mbox.indexOf('From sender@example Wed Dec  3'));
  expect(rows[0].sending_ip).toBe('203.0.113.45');
  expect(rows[0].top_finding.id).toBe('spf.softfail');

  await page.locator('#lang').selectOption('ja');
  await expect(page.locator('#batch-export-csv')).toHaveText('CSV をダウンロード');
  expectNoProblems(problems);
});

test('the batch header text reaches the page as text, never as markup', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  const hostile = message({ ...shop, subject: '<img src=x onerror=alert(1)>', date: 'Mon, 1 Dec 2025 09:00:00 +0900', id: 'h1' });
  await page.locator('#file').setInputFiles([
    { name: 'a.eml', mimeType: 'message/rfc822', buffer: Buffer.from(hostile) },
    files[2],
  ]);
  await expect(page.locator('#batch-table tbody tr')).toHaveCount(2);
  await expect(page.locator('#batch-table img')).toHaveCount(0);
  expect(await subjects(page)).toContain('<img src=x onerror=alert(1)>');
  expectNoProblems(problems);
});
