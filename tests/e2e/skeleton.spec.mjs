// The walking skeleton end to end: paste → hop table → live DMARC over DoH.
import { test, expect } from '@playwright/test';
import { openApp, expectNoProblems, fixture, corpus, doh, scenario } from './helpers.mjs';
import { serveZone } from './scenario-dns.mjs';

test('pasted header block shows the hops and the live DMARC record', async ({ page }, info) => {
  const { problems, requests } = await openApp(page);
  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();

  const rows = page.locator('#hops tbody tr');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0).locator('td.from')).toHaveText('DESKTOP-7QK3 [198.51.100.77]');
  await expect(rows.nth(0).locator('td.by')).toHaveText('mail.todoku.test');
  await expect(rows.nth(0).locator('td.with')).toHaveText('ESMTPSA');
  await expect(rows.nth(1).locator('td.from')).toHaveText('mail.todoku.test (mail.todoku.test. [192.0.2.25])');
  await expect(rows.nth(1).locator('td.by')).toHaveText('mx.google.com');
  await expect(rows.nth(1).locator('td.tls')).toContainText('TLS_AES_256_GCM_SHA384');
  await expect(rows.nth(1).locator('td.delay')).toHaveText('+3 s');
  await expect(rows.nth(2).locator('td.delay')).toHaveText('+1 s');
  await expect(rows.nth(1)).toHaveAttribute('data-zone', 'boundary');
  await expect(page.locator('#boundary')).toContainText('hop 2: 192.0.2.25 (HELO mail.todoku.test)');
  await expect(page.locator('#summary')).toContainText('月例会議のご案内');
  // The PC name DESKTOP-7QK3 is on the authenticated submission hop (ESMTPSA)
  // to the sender's own server, which receivers never judge: nothing to fix.
  await expect(page.locator('#verdict')).toHaveText('No problems found in the headers.');
  await expect(page.locator('#verdict')).toHaveAttribute('data-outlook', 'clean');
  await expect(page.locator('#findings li[data-id="dmarc.pass"]')).toBeVisible();
  await expect(page.locator('#findings li[data-id="helo.not_fqdn"]')).toHaveCount(0);
  const recorded = page.locator('#recorded tbody tr');
  await expect(recorded.locator('td.method')).toHaveText(['spf', 'dkim', 'dmarc']);
  await expect(recorded.locator('td.result')).toHaveText(['pass', 'pass', 'pass']);
  await expect(page.locator('#recorded tr[data-method=spf] td.details')).toHaveText('smtp.mailfrom=taro@todoku.test');
  await expect(page.locator('#recorded tr[data-method=dmarc] td.note')).toHaveText('p=QUARANTINE sp=QUARANTINE dis=NONE');
  await expect(page.locator('section h2').filter({ hasText: 'Recorded by the receiver' })).toHaveText(
    'Recorded by the receiver (mx.google.com)',
  );

  const live = page.locator('#live-dmarc');
  await expect(live).toHaveAttribute('data-status', 'found');
  await expect(page.locator('#live-dmarc-value')).toHaveText(
    'v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@todoku.test; adkim=r; aspf=r',
  );
  await expect(live).toContainText('_dmarc.todoku.test TXT');
  // Nothing to fix, also once every live check is in.
  await expect(page.locator('#report')).toHaveAttribute('data-live', 'done');
  await expect(page.locator('#findings li:not([data-severity="pass"])')).toHaveCount(0);

  await page.screenshot({ path: info.outputPath('skeleton.png'), fullPage: true });
  expectNoProblems(problems);

  // Only the page's own origin and the DoH endpoint were contacted, and the
  // DoH request carried a DNS name, not header text.
  const origin = new URL(page.url()).origin;
  const dohOrigin = new URL(doh()).origin;
  for (const url of requests) {
    expect([origin, dohOrigin]).toContain(new URL(url).origin);
  }
  const dnsRequests = requests.filter((u) => u.startsWith(doh()));
  expect(dnsRequests.length).toBeGreaterThan(0);
  for (const url of dnsRequests) {
    expect(url).toMatch(/\?dns=[A-Za-z0-9_-]+$/);
    expect(url).not.toContain('DESKTOP');
  }
});

test("a bare PC name greeting the receiver's MX is the first finding, a warning", async ({ page }) => {
  const { problems } = await openApp(page);
  const { meta, message } = scenario('pc-helo-direct-to-mx.txt');
  await serveZone(page, doh(), meta.zone);
  await page.locator('#input').fill(message);
  await page.locator('#analyze').click();
  await expect(page.locator('#report')).toHaveAttribute('data-live', 'done');
  await expect(page.locator('#verdict')).toHaveText(
    'Probably delivered, but at risk because the sending computer announces a bare PC name.',
  );
  await expect(page.locator('#verdict')).toHaveAttribute('data-outlook', 'at_risk');
  const helo = page.locator('#findings li[data-id="helo.not_fqdn"]');
  await expect(helo).toHaveAttribute('data-severity', 'warning');
  await expect(helo.locator('.message')).toContainText('HELO "OFFICE-PC01"');
  await expect(page.locator('#findings li').first()).toHaveAttribute('data-id', 'helo.not_fqdn');
  expectNoProblems(problems);
});

test('a domain without DMARC and a domain whose DNS fails are told apart', async ({ page }) => {
  const { problems } = await openApp(page);
  const base = fixture('postfix-to-gmail.txt');
  await page.locator('#input').fill(base.replaceAll('<taro@todoku.test>', '<taro@nodmarc.todoku.test>'));
  await page.locator('#analyze').click();
  await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', 'none');
  await expect(page.locator('#live-dmarc-value')).toHaveText('No DMARC record.');

  await page.locator('#input').fill(base.replaceAll('<taro@todoku.test>', '<taro@servfail.todoku.test>'));
  await page.locator('#analyze').click();
  await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', 'temperror');
  expectNoProblems(problems);
});

test('offline mode makes no DNS request at all', async ({ page }) => {
  const { problems, requests } = await openApp(page);
  await page.locator('#offline').check();
  const before = requests.length;
  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#hops tbody tr')).toHaveCount(4);
  await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', 'unavailable');
  await expect(page.locator('#live-dmarc-value')).toContainText('offline mode');
  expect(requests.slice(before)).toEqual([]);
  expectNoProblems(problems);
});

test('an .eml chosen with the file picker is analysed from its bytes', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#file').setInputFiles({
    name: 'message.eml',
    mimeType: 'message/rfc822',
    buffer: Buffer.from(fixture('postfix-to-gmail.txt') + '\r\nHello.\r\n'),
  });
  await expect(page.locator('#hops tbody tr')).toHaveCount(4);
  await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', 'found');
  expectNoProblems(problems);
});

test('text that is not a header block gets a clear message', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#input').fill('hello, this is just a sentence');
  await page.locator('#analyze').click();
  await expect(page.locator('#report [role=alert]')).toContainText('No email header was found');
  expectNoProblems(problems);
});

test('a real Gmail message (MimeKit corpus) parses into the right hops', async ({ page }, info) => {
  const message = corpus('mimekit-testdata/dkim/gmail.msg');
  test.skip(message === null, '../shared/corpora is absent');
  const { problems } = await openApp(page);
  await page.locator('#input').fill(message);
  await page.locator('#analyze').click();
  const rows = page.locator('#hops tbody tr');
  await expect(rows).toHaveCount(6);
  await expect(rows.locator('td.by')).toHaveText(['10.25.21.73', '10.152.3.33', 'lams18', 'mx.google.com', '10.112.150.130', '10.152.28.6']);
  await expect(rows.locator('td.with')).toHaveText(['HTTP', 'SMTP', 'SMTP', 'ESMTPS', 'SMTP', 'SMTP']);
  await expect(rows.nth(3).locator('td.from')).toHaveText(
    'mail-la0-x241.google.com (mail-la0-x241.google.com. [2a00:1450:4010:c03::241])',
  );
  await expect(rows.nth(3).locator('td.tls')).toContainText('TLSv1.2');
  await expect(page.locator('#summary')).toContainText('Testing verification of Google DKIM-Signature headers');
  await expect(page.locator('#recorded tbody tr td.result')).toHaveText(['pass', 'pass', 'pass']);
  await expect(page.locator('#recorded tr[data-method=dkim] td.details')).toHaveText('header.i=@gmail.com');
  await page.screenshot({ path: info.outputPath('gmail.png'), fullPage: true });
  // gmail.com is outside the local zones: the live checks still end.
  await expect(page.locator('#live')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  expectNoProblems(problems);
});

test('Microsoft 365 Junk verdicts are decoded and the errors come first', async ({ page }, info) => {
  const { problems } = await openApp(page);
  await page.locator('#input').fill(fixture('m365-junk.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#verdict')).toHaveText(
    'Likely rejected or filtered as spam because the receiving filter marked it as spam and DMARC failed.',
  );
  await expect(page.locator('#verdicts details[data-spam=yes]')).toHaveCount(3);
  await expect(page.locator('#verdicts details').first().locator('.verdict-summary')).toContainText('confidence level 5');
  await expect(page.locator('#verdicts details').nth(2).locator('.verdict-summary')).toContainText('SCL 5 (spam), verdict spam');
  await expect(page.locator('#findings li').first()).toHaveAttribute('data-severity', 'error');
  await expect(page.locator('#findings li[data-id="spf.softfail"] .message')).toContainText('198.51.100.77');
  await page.locator('#verdicts details').nth(2).locator('summary').click();
  await expect(page.locator('#verdicts details').nth(2).locator('td.meaning').filter({ hasText: 'HELO' })).toHaveText(
    'the HELO/EHLO name the sender gave: DESKTOP-7QK3',
  );
  await page.screenshot({ path: info.outputPath('m365-junk.png'), fullPage: true });
  expectNoProblems(problems);
});

test('a Gmail "Show original" page pasted whole is read from its headers', async ({ page }) => {
  const { problems } = await openApp(page);
  const summary = 'Original message\nMessage ID\t<20261123180201.0001@todoku.test>\nCreated at:\tMon, Nov 23, 2026\nFrom:\tTaro <taro@todoku.test>\nSPF:\tPASS with IP 192.0.2.25 Learn more\nDownload original\nCopy to clipboard\n';
  await page.locator('#input').fill(summary + fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#hops tbody tr')).toHaveCount(4);
  await expect(page.locator('#input-notes')).toHaveText("To read this paste, Todoku skipped Gmail's summary box (7 lines).");
  expectNoProblems(problems);
});

test('a finding links to its evidence in the raw headers', async ({ page }, info) => {
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  await page.locator('#input').fill(scenario('pc-helo-direct-to-mx.txt').message);
  await page.locator('#analyze').click();
  const link = page.locator('#findings li[data-id="helo.not_fqdn"] a.evidence-link');
  await link.click();
  const target = await link.getAttribute('href');
  expect(page.url()).toContain(target);
  const mark = page.locator(`${target} + mark`);
  await expect(mark).toContainText('Received: from OFFICE-PC01 (mail.office.test. [203.0.113.50])');
  await expect(mark).toBeInViewport();
  await page.screenshot({ path: info.outputPath('evidence.png') });
  expectNoProblems(problems);
});
