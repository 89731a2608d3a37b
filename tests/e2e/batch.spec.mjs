// The batch table (issue 17): an mbox and .eml files dropped or chosen at
// once give one row per message, sortable and filterable, a summary by
// sending domain in both languages, and each row opens its full report.
// The messages are written here: three in a mailbox (two with a recorded SPF
// softfail from 203.0.113.45), two as .eml files (one more softfail).
import { test, expect } from '@playwright/test';
import { openApp, expectNoProblems, doh } from './helpers.mjs';
import { message as liveMessage } from './dkim-sign.mjs';

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

// Issue 17: the batch asks no DNS question until the user chooses rows and
// asks for their live checks; then only those rows are checked, over the
// page's resolver, and marked. Messages as they arrived at the receiver,
// with no recorded results (tests/dns zones): a and b from a sender whose
// SPF record today is -all without 192.0.2.25, From todoku.test (DMARC
// p=quarantine, no DKIM signature: DMARC fails, so likely spam); c signed
// with sel1 and sent from an address todoku.test's SPF allows.
test('chosen batch rows are re-checked over DNS when asked, and no DNS question is asked before', async ({ page }) => {
  const { problems, requests } = await openApp(page);
  const spfFail = liveMessage({ mailFrom: 'x@spffail.todoku.test', from: 'taro@todoku.test' });
  const good = liveMessage({
    mailFrom: 'taro@todoku.test',
    from: 'taro@todoku.test',
    sign: { domain: 'todoku.test', selector: 'sel1', keyFile: 'sel1.todoku.test.pem' },
  });
  await page.locator('#file').setInputFiles([
    { name: 'a.eml', mimeType: 'message/rfc822', buffer: Buffer.from(spfFail) },
    { name: 'b.eml', mimeType: 'message/rfc822', buffer: Buffer.from(spfFail) },
    { name: 'c.eml', mimeType: 'message/rfc822', buffer: Buffer.from(good) },
  ]);
  await expect(page.locator('#batch-status')).toHaveText('3 messages analysed.');
  const row = (i) => page.locator(`#batch-table tbody tr[data-index="${i}"]`);
  const before = await row(1).getAttribute('data-verdict');
  expect(before).not.toBe('filtered');
  const dns = () => requests.filter((u) => u.includes('?dns='));
  expect(dns(), 'no DNS question before the user asks').toEqual([]);

  const check = page.locator('#batch-check');
  await expect(check).toHaveText('Re-check chosen rows over DNS');
  await expect(check).toBeDisabled();
  // Choosing a row does not open its report.
  await row(0).locator('input.batch-choose').check();
  // The row is not drawn again under the keyboard: the box keeps its focus.
  await expect(row(0).locator('input.batch-choose')).toBeFocused();
  await expect(check).toBeEnabled();
  // From the keyboard: Space chooses, and does not open the report.
  await row(2).locator('input.batch-choose').focus();
  await page.keyboard.press('Space');
  await expect(row(2).locator('input.batch-choose')).toBeChecked();
  await expect(page.locator('#summary')).toHaveCount(0);
  expect(dns()).toEqual([]);
  await check.click();
  await expect(page.locator('#batch-check-status')).toHaveText('2 rows re-checked over DNS.', { timeout: 20_000 });

  await expect(row(0)).toHaveAttribute('data-checked', 'now');
  await expect(row(2)).toHaveAttribute('data-checked', 'now');
  await expect(row(1)).not.toHaveAttribute('data-checked', /./);
  await expect(row(0)).toHaveAttribute('data-verdict', 'filtered');
  await expect(row(0).locator('td').nth(4)).toContainText('likely rejected or spam (checked over DNS now)');
  await expect(row(2)).toHaveAttribute('data-verdict', 'clean');
  await expect(row(1)).toHaveAttribute('data-verdict', before);
  // Questions went only to the chosen resolver.
  expect(dns().length).toBeGreaterThan(0);
  expect(dns().filter((u) => !u.startsWith(`${doh()}?dns=`))).toEqual([]);
  // The summary is counted again from the checked rows.
  await expect(page.locator('#batch-totals')).toContainText('1 likely rejected or spam');
  // The export carries the live rows, in their place.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#batch-export-jsonl').click()]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(lines.map((l) => l.file)).toEqual(['a.eml', 'b.eml', 'c.eml']);
  expect(lines[0].findings).toContain('spf.fail');
  expect(lines[1].findings).not.toContain('spf.fail');

  await page.locator('#lang').selectOption('ja');
  await expect(check).toHaveText('選んだ行を DNS で再確認');
  await expect(row(0).locator('td').nth(4)).toContainText('DNS で今確認済み');
  expectNoProblems(problems);
});

// "Choose all rows shown" takes the filter into account; a cancel stops the
// rows not yet started (a resolver that never answers keeps the first ones
// waiting), and no row is marked as checked.
test('choose all shown follows the filter, and a cancel stops the DNS re-check', async ({ page }, info) => {
  const { problems } = await openApp(page);
  await page.locator('#doh-url').fill(`http://127.0.0.1:${info.config.metadata.faultPort}/timeout/dns-query`);
  await page.locator('#doh-url').dispatchEvent('change');
  await page.locator('#file').setInputFiles(files);
  await expect(page.locator('#batch-status')).toHaveText('5 messages analysed.');
  await page.locator('#batch-filter').selectOption('spf.softfail');
  await page.locator('#batch-choose-all').check();
  await page.locator('#batch-filter').selectOption('');
  await expect(page.locator('#batch-table input.batch-choose:checked')).toHaveCount(3);
  await expect(page.locator('#batch-choose-all')).not.toBeChecked();
  await page.locator('#batch-choose-all').check();
  await expect(page.locator('#batch-table input.batch-choose:checked')).toHaveCount(5);
  await page.locator('#batch-check').click();
  await expect(page.locator('#batch-check-status')).toHaveText('Re-checking over DNS: 0 of 5 rows done …');
  await page.locator('#batch-check-cancel').click();
  await expect(page.locator('#batch-check-status')).toHaveText('DNS re-check stopped after 0 of 5 rows.');
  await expect(page.locator('#batch-check-cancel')).toBeHidden();
  await expect(page.locator('#batch-check')).toBeEnabled();
  await expect(page.locator('#batch-table tr[data-checked]')).toHaveCount(0);
  expectNoProblems(problems);
});
