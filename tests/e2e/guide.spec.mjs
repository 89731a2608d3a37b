// Issue 18's page: what to change first, long sections collapsed, hop times
// in the reader's zone, help to get started (headers per client, samples),
// drop and paste anywhere, the resolver choice inside the CSP, no update
// banner on a first visit; screenshots in both languages at desktop and
// phone widths into .tmp/screenshots/.
import { test, expect } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, expectNoProblems, repo } from './helpers.mjs';

const shots = join(repo, '.tmp', 'screenshots');
mkdirSync(shots, { recursive: true });
const AXE = readFileSync(join(repo, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

async function axeViolations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

const softfail = () => readFileSync(join(repo, 'www', 'sample-hosting-softfail.eml'), 'utf8');

test('the softfail sample shows what to change first, each fix linked to its finding', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#lang').selectOption('ja');
  await page.locator('button[data-sample="0"]').click();
  await expect(page.locator('#verdict')).toHaveAttribute('data-outlook', 'filtered');
  const fixes = page.locator('#fixes li');
  // The hosting server 203.0.113.12 is not in sakura-shop.example's SPF:
  // that line comes first, and it answers DMARC's failure too.
  await expect(fixes.first()).toHaveAttribute('data-kind', 'spf_add_sender');
  await expect(fixes.first().locator('.fix-value')).toHaveText('ip4:203.0.113.12');
  await expect(fixes.first()).toContainText('SPF レコード sakura-shop.example TXT');
  await expect(page.locator('#fixes h2')).toHaveText('何を直すか');
  // No DKIM signature: turn it on for the From domain.
  await expect(page.locator('#fixes li[data-kind="dkim_enable_signing"]')).toBeVisible();
  // The list sits right under the verdict, above the findings.
  const order = await page.evaluate(() => {
    const v = document.getElementById('verdict');
    const f = document.getElementById('fixes');
    return v.nextElementSibling === f && !!(f.compareDocumentPosition(document.getElementById('findings')) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  expect(order).toBe(true);
  // The evidence link goes to the finding.
  const href = await fixes.first().locator('a.fix-evidence').getAttribute('href');
  expect(href).toBe('#finding-spf.softfail');
  await expect(page.locator('#finding-spf\\.softfail')).toHaveAttribute('data-id', 'spf.softfail');
  expectNoProblems(problems);
});

test('a clean sample asks for no change', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('button[data-sample="1"]').click();
  await expect(page.locator('#verdict')).toHaveAttribute('data-outlook', 'clean');
  await expect(page.locator('#fixes')).toHaveCount(0);
  expectNoProblems(problems);
});

test('long sections start collapsed with a one-line summary; an evidence link opens them', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('button[data-sample="0"]').click();
  await expect(page.locator('#verdict')).toBeVisible();
  for (const inner of ['#checklists > details', '#hops', '#raw-headers']) {
    const details = page.locator(inner.endsWith('details') ? `${inner}.collapsible` : `details.collapsible:has(${inner})`);
    await expect(details, inner).toHaveCount(1);
    await expect(details, inner).not.toHaveAttribute('open', '');
    await expect(details.locator('summary .summary-line'), inner).not.toBeEmpty();
    await expect(details.locator('table, pre').first(), inner).toBeHidden();
  }
  await expect(page.locator('details.collapsible:has(#hops) .summary-line')).toHaveText("4 hops; total transit 2 s");
  // "Show in the headers" opens the raw headers at the evidence.
  await page.locator('#findings li[data-id="spf.softfail"] a.evidence-link').click();
  await expect(page.locator('#raw-headers')).toBeVisible();
  expectNoProblems(problems);
});

test('hop times are in the reader zone, the server stamp on hover; Google relays are grouped, never red', async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: 'Asia/Tokyo' });
  const page = await context.newPage();
  const { problems } = await openApp(page);
  await page.locator('button[data-sample="0"]').click();
  await expect(page.locator('#verdict')).toBeVisible();
  // Gmail's MX stamped 01:10:08 -0800 (PST): 18:10:08 in Tokyo.
  const mx = page.locator('#hops tr[data-zone="boundary"] td.time');
  await expect(mx).toHaveText('2026-11-23 18:10:08');
  await expect(mx).toHaveAttribute('title', '2026-11-23T01:10:08-08:00');
  await expect(page.locator('#local-time-note')).toContainText('UTC+09:00');
  // Google's own Received: by 2002:… hop is inside one organisation.
  await expect(page.locator('#local-time-note')).toContainText('Inside one organisation');
  await expect(page.locator('#hops tbody tr')).toHaveCount(4);
  const internal = page.locator('#hops tr[data-org="internal"]');
  await expect(internal).toHaveCount(2);
  for (const tls of await internal.locator('td.tls').allTextContents()) {
    expect(tls).not.toMatch(/not encrypted|暗号化なし/);
  }
  await expect(page.locator('svg.timeline rect.plain')).toHaveCount(0);
  expectNoProblems(problems);
  await context.close();
});

test('a file dropped anywhere and text pasted anywhere are analysed', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  // Drop on the page heading, far from the file input.
  const data = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'message.eml', { type: 'message/rfc822' }));
    return dt;
  }, softfail());
  await page.locator('h1').dispatchEvent('dragover', { dataTransfer: data });
  await expect(page.locator('body')).toHaveAttribute('data-dragging', '');
  await page.locator('h1').dispatchEvent('drop', { dataTransfer: data });
  await expect(page.locator('#fixes li').first()).toHaveAttribute('data-kind', 'spf_add_sender');
  await expect(page.locator('body')).not.toHaveAttribute('data-dragging', '');
  // Paste with the focus outside any field.
  const clean = readFileSync(join(repo, 'www', 'sample-gmail-clean.eml'), 'utf8');
  await page.locator('h1').click();
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
  }, clean);
  await expect(page.locator('#verdict')).toHaveAttribute('data-outlook', 'clean');
  await expect(page.locator('#input')).toHaveValue(clean.replace(/\r\n/g, '\n'));
  expectNoProblems(problems);
});

test('every resolver offered is allowed by the CSP; a custom one outside it says it is blocked', async ({ page }) => {
  const { problems } = await openApp(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  const connect = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src')).split(/\s+/);
  const urls = await page.locator('#doh-choice option[data-url]').evaluateAll((os) => os.map((o) => o.dataset.url));
  const names = await page.locator('#doh-choice option').allTextContents();
  expect(names.join(' ')).toMatch(/Cloudflare.*Google.*Quad9.*IIJ/);
  for (const list of urls) {
    for (const url of list.split(/\s+/)) expect(connect, url).toContain(new URL(url).origin);
  }
  expect(urls).toContain('https://dns.quad9.net/dns-query');
  expect(urls).toContain('https://public.dns.iij.jp/dns-query');
  // Choosing one fills the field and keeps it.
  await page.locator('#doh-choice').selectOption({ label: 'Quad9' });
  await expect(page.locator('#doh-url')).toHaveValue('https://dns.quad9.net/dns-query');
  await expect(page.locator('#doh-blocked')).toBeHidden();
  // A company's own DoH server is outside the policy: said, in Japanese too.
  await page.locator('#doh-url').fill('https://doh.example.co.jp/dns-query');
  await expect(page.locator('#doh-blocked')).toBeVisible();
  await expect(page.locator('#doh-blocked')).toContainText('Content-Security-Policy');
  await expect(page.locator('#doh-choice')).toHaveValue('custom');
  await page.locator('#lang').selectOption('ja');
  await expect(page.locator('#doh-blocked')).toContainText('ブロックされます');
  // Loopback stays allowed (a local resolver).
  await page.locator('#doh-url').fill('https://127.0.0.1:8443/dns-query');
  await expect(page.locator('#doh-blocked')).toBeHidden();
  expectNoProblems(problems);
});

test('a first visit shows no update banner', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  // Give the worker's statechange events time to run.
  await page.waitForTimeout(500);
  await expect(page.locator('#update')).toHaveCount(0);
  expectNoProblems(problems);
});

test('the landing help and the samples are in Japanese; axe finds nothing', async ({ page }) => {
  const { problems } = await openApp(page);
  await page.locator('#lang').selectOption('ja');
  await expect(page.locator('#help h2').first()).toHaveText('ヘッダーの取り出し方');
  const clients = await page.locator('#clients summary').allTextContents();
  expect(clients).toContain('Gmail（ブラウザ）');
  expect(clients).toContain('Yahoo! JAPAN メール');
  expect(clients).toContain('秀丸メール / Becky!');
  await page.locator('#clients details[data-client="Gmail (web)"] summary').click();
  await expect(page.locator('#clients details[data-client="Gmail (web)"] p')).toContainText('メッセージのソースを表示');
  await expect(page.locator('#samples button')).toHaveText([
    '事務所のパソコンからレンタルサーバー経由：SPF softfail',
    'Gmail から Gmail：問題なし',
    'エラーメール：宛先のアドレスが存在しない',
  ]);
  expect(await axeViolations(page), 'landing').toEqual([]);
  // The bounce sample renders, in Japanese.
  await page.locator('button[data-sample="2"]').click();
  await expect(page.locator('#bounce li[data-code]').first()).toBeVisible();
  await expect(page.locator('#verdict')).toHaveAttribute('data-outlook', 'filtered');
  await page.locator('button[data-sample="0"]').click();
  await expect(page.locator('#fixes')).toBeVisible();
  await page.locator('details.collapsible').evaluateAll((ds) => ds.forEach((d) => (d.open = true)));
  expect(await axeViolations(page), 'report with the fixes and sections opened').toEqual([]);
  expectNoProblems(problems);
});

for (const [lang, width, height] of [
  ['en', 1280, 900],
  ['ja', 1280, 900],
  ['en', 390, 844],
  ['ja', 390, 844],
]) {
  test(`screenshots: ${lang} at ${width} px, landing and the softfail report`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width, height }, timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    const { problems } = await openApp(page);
    await page.locator('details.settings').evaluate((d) => {
      d.open = false;
    });
    await page.locator('#lang').selectOption(lang);
    await page.screenshot({ path: join(shots, `landing-${lang}-${width}.png`), fullPage: true });
    await page.locator('button[data-sample="0"]').click();
    await expect(page.locator('#fixes')).toBeVisible();
    await page.screenshot({ path: join(shots, `report-${lang}-${width}.png`), fullPage: true });
    await page.screenshot({ path: join(shots, `report-top-${lang}-${width}.png`) });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expectNoProblems(problems);
    await context.close();
  });
}

test('a private share link carries the redacted headers in its #fragment and round-trips the report', async ({ page, browser }) => {
  const { problems } = await openApp(page);
  await page.locator('#offline').check();
  await page.locator('#input').fill(softfail());
  await page.locator('#analyze').click();
  await expect(page.locator('#fixes')).toBeVisible();
  await page.locator('#export-share').click();
  // The preview: what the link holds, local parts masked, before any copy.
  const preview = page.locator('#export-text');
  await expect(preview).toBeVisible();
  await expect(preview).toHaveValue(/^Delivered-To: /);
  const previewText = await preview.inputValue();
  expect(previewText).not.toContain('info@sakura-shop.example');
  expect(previewText).toContain('@sakura-shop.example');
  expect(previewText).not.toContain('ご注文ありがとう'); // no body, and Subject stays encoded
  await expect(page.locator('#export-status')).toContainText('32 KB');
  const link = await page.locator('#share-link').inputValue();
  expect(link).toMatch(/\/todoku\/#h=[A-Za-z0-9_-]+$/);
  const payload = link.split('#h=')[1];

  // Opened elsewhere: the same report, and the fragment never reaches a server.
  const context = await browser.newContext();
  const other = await context.newPage();
  const requests = [];
  other.on('request', (r) => requests.push(r.url()));
  const errors = [];
  other.on('pageerror', (e) => errors.push(e.message));
  await other.goto(link);
  await expect(other.locator('#shared-note')).toBeVisible();
  await expect(other.locator('#fixes li').first()).toHaveAttribute('data-kind', 'spf_add_sender');
  await expect(other.locator('#fixes li').first().locator('.fix-value')).toHaveText('ip4:203.0.113.12');
  await expect(other.locator('#verdict')).toHaveAttribute('data-outlook', 'filtered');
  expect(requests.length).toBeGreaterThan(0);
  for (const url of requests) {
    expect(url).not.toContain('#');
    expect(url).not.toContain(payload.slice(0, 24));
    expect(url).not.toContain('sakura-shop');
  }
  expect(errors).toEqual([]);
  await context.close();
  expectNoProblems(problems);
});
