// Every header and every DNS answer is attacker-controlled. Payloads placed in
// every rendered field must show as text and never execute; and the page must
// send nothing but DNS names to the resolver.
import { test, expect } from '@playwright/test';
import { openApp, expectNoProblems, fixture, doh } from './helpers.mjs';

const BASE = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '<svg onload=window.__xss=1>',
  '<svg><script>window.__xss=1</script></svg>',
  'javascript:window.__xss=1',
  '"><script>window.__xss=1</script>',
  "'><img src=x onerror=window.__xss=1>",
  '<iframe src="javascript:window.__xss=1"></iframe>',
  '<body onload=window.__xss=1>',
  '<details open ontoggle=window.__xss=1>',
  '<a href="javascript:window.__xss=1">click</a>',
  '<input autofocus onfocus=window.__xss=1>',
  '<video><source onerror="window.__xss=1"></video>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  '<object data="javascript:window.__xss=1"></object>',
  '<embed src="javascript:window.__xss=1">',
  '<style>@import "javascript:window.__xss=1";</style>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
  '<form action="javascript:window.__xss=1"><button>x</button></form>',
  '<template><img src=x onerror=window.__xss=1></template>',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
  '<base href="javascript:window.__xss=1//">',
  '{{constructor.constructor("window.__xss=1")()}}',
  '${window.__xss=1}',
  '<scr<script>ipt>window.__xss=1</scr</script>ipt>',
];

/** Each payload raw, as an RFC 2047 encoded word, HTML-escaped, and with CR/LF/NUL smuggled in. */
function variants(p) {
  const b64 = Buffer.from(p, 'utf8').toString('base64');
  return [
    { label: 'raw', header: p.replace(/[\r\n]/g, ' '), shown: p },
    { label: 'encoded-word', header: `=?UTF-8?B?${b64}?=`, shown: p },
    { label: 'html-escaped', header: p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'), shown: null },
    { label: 'q-encoded-nul', header: `=?UTF-8?Q?=00${encodeURIComponent(p).replace(/%/g, '=')}?=`, shown: null },
  ];
}

function message(h) {
  return [
    `Received: from ${h} (${h} [192.0.2.9]) by mx.${h}.example with ESMTP id ${h}; Mon, 23 Nov 2026 10:00:00 +0000`,
    `Authentication-Results: mx.example; spf=softfail (${h}) smtp.mailfrom=${h}; dkim=fail (${h}) header.d=${h}`,
    `DKIM-Signature: v=1; a=rsa-sha256; d=${h}; s=${h}; h=from; bh=YQ==; b=Yg==`,
    `X-Forefront-Antispam-Report: CIP:192.0.2.9;H:${h};SFV:SPM;SCL:5;CAT:${h};`,
    `X-Spam-Status: Yes, score=9 required=5 tests=${h.replace(/\s/g, '_')}`,
    `From: "${h}" <attacker@xss.todoku.test>`,
    `Subject: ${h}`,
    `Message-ID: <${h}@x>`,
    '',
    '',
  ].join('\r\n');
}

test('100 hostile payloads in every rendered field stay text', async ({ page }) => {
  test.setTimeout(120_000);
  const { problems } = await openApp(page);
  let dialogs = 0;
  page.on('dialog', async (d) => {
    dialogs++;
    await d.dismiss();
  });
  let count = 0;
  for (const p of BASE) {
    for (const v of variants(p)) {
      await page.locator('#input').fill(message(v.header));
      await page.locator('#analyze').click();
      await expect(page.locator('#summary')).toBeVisible();
      if (v.shown) {
        await expect(page.locator('#summary dd').first()).toContainText(v.shown.slice(0, 20));
      }
      count++;
    }
  }
  // Let the last live check (the hostile DMARC TXT) arrive too.
  await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', 'found');
  await expect(page.locator('#live-dmarc-value')).toContainText('<img src=x onerror=window.__xss=1>');
  expect(count).toBeGreaterThanOrEqual(100);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  expect(dialogs).toBe(0);
  // Nothing the payloads name was created as an element. The page's own: the
  // hop timeline (one <svg>, its parts SVG-namespaced rect/text/g/title only)
  // and the export checkbox (#redact-ips).
  expect(await page.locator('#report img, #report iframe, #report script, #report object, #report embed, #report video, #report form, #report base, #report meta').count()).toBe(0);
  expect(await page.locator('#report svg').evaluateAll((all) => all.map((e) => e.id))).toEqual(['timeline']);
  expect(
    await page.locator('#timeline *').evaluateAll((all) => [...new Set(all.map((e) => e.localName))].sort()),
  ).toEqual(['g', 'rect', 'text', 'title']);
  expect(await page.locator('#report input').evaluateAll((all) => all.map((e) => e.id))).toEqual(['redact-ips']);
  expectNoProblems(problems);
});

test('network audit: only DNS names leave the page, only to the resolver', async ({ page }) => {
  const { problems, requests } = await openApp(page);
  const seen = [];
  page.on('request', (req) => seen.push({ url: req.url(), headers: req.headers(), body: req.postData() || '' }));
  const marker = 'ZqxMarker7731';
  const text = fixture('postfix-to-gmail.txt')
    .replace('Subject:', `X-Note: ${marker}-note\r\nSubject:`)
    .replace('DESKTOP-7QK3', `${marker}-helo`)
    .replace('hanako@gmail.com', `${marker}@gmail.com`);
  await page.locator('#input').fill(text);
  await page.locator('#analyze').click();
  await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', 'found');
  await expect(page.locator('#live')).toHaveAttribute('data-status', 'done');
  const origin = new URL(page.url()).origin;
  const dohUrl = new URL(doh());
  // The names the live checks derive from the headers: SPF for the MAIL FROM
  // and HELO domains, the HELO's address, the trusted hop's PTR, DMARC's
  // record and its tree walk. Nothing else may be asked.
  const allowed = ['todoku.test', 'mail.todoku.test', '25.2.0.192.in-addr.arpa', '_dmarc.todoku.test', '_dmarc.test'];
  const asked = new Set();
  expect(seen.length).toBeGreaterThan(0);
  for (const r of seen) {
    const all = JSON.stringify(r);
    expect(all.toLowerCase()).not.toContain(marker.toLowerCase());
    expect([origin, dohUrl.origin]).toContain(new URL(r.url).origin);
    expect(r.body).toBe('');
    if (new URL(r.url).origin === dohUrl.origin) {
      // Each query carries exactly one question, for a derived name.
      const wire = Buffer.from(new URL(r.url).searchParams.get('dns'), 'base64url');
      let i = 12;
      const labels = [];
      while (wire[i] !== 0) {
        labels.push(wire.subarray(i + 1, i + 1 + wire[i]).toString());
        i += wire[i] + 1;
      }
      expect(allowed).toContain(labels.join('.'));
      asked.add(labels.join('.'));
      expect(wire.readUInt16BE(4)).toBe(1);
    }
  }
  expect([...asked]).toContain('_dmarc.todoku.test');
  expect([...asked]).toContain('25.2.0.192.in-addr.arpa');
  expect(requests.length).toBeGreaterThan(0);
  expectNoProblems(problems);
});
