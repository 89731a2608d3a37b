// Live re-checks end to end: messages signed here with the test keys, pasted
// into the page, re-verified over DoH against the Knot zones in tests/dns.
// Each scenario is modelled by a zone entry (see todoku.test.zone).
import { test, expect } from '@playwright/test';
import { openApp, expectNoProblems } from './helpers.mjs';
import { message } from './dkim-sign.mjs';

const SEL1 = { domain: 'todoku.test', selector: 'sel1', keyFile: 'sel1.todoku.test.pem' };

async function analyse(page, text) {
  await page.locator('#input').fill(text);
  await page.locator('#analyze').click();
  await expect(page.locator('#live')).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
}

const result = (page, id) => page.locator(`#${id}`);

test('a good message passes SPF, DKIM (body and headers only), DMARC and iprev', async ({ page }) => {
  const { problems } = await openApp(page);
  const good = message({ mailFrom: 'taro@todoku.test', from: 'taro@todoku.test', sign: SEL1 });
  await analyse(page, good);
  await expect(result(page, 'live-spf')).toHaveAttribute('data-result', 'pass');
  await expect(result(page, 'live-spf-helo')).toHaveAttribute('data-result', 'pass');
  await expect(result(page, 'live-dkim-0')).toHaveAttribute('data-result', 'pass');
  await expect(result(page, 'live-dmarc-eval')).toHaveAttribute('data-result', 'pass');
  await expect(result(page, 'live-dmarc-eval')).toContainText('p=quarantine');
  await expect(result(page, 'live-iprev')).toHaveAttribute('data-result', 'pass');
  await expect(result(page, 'live-iprev')).toContainText('mail.todoku.test');
  await expect(page.locator('#dns-evidence li').filter({ hasText: 'sel1._domainkey.todoku.test TXT' })).toHaveCount(1);

  // The same message without its body: b= still verifies, bh= is not checked.
  await analyse(page, good.split('\r\n\r\n')[0] + '\r\n');
  await expect(result(page, 'live-dkim-0')).toHaveAttribute('data-result', 'pass');
  await expect(result(page, 'live-dkim-0')).toContainText('body was not given');

  // A body changed after signing.
  await analyse(page, message({ mailFrom: 'taro@todoku.test', from: 'taro@todoku.test', sign: SEL1, tamper: true }));
  await expect(result(page, 'live-dkim-0')).toHaveAttribute('data-result', 'fail');
  await expect(result(page, 'live-dkim-0')).toContainText('body hash');
  expectNoProblems(problems);
});

const SPF = [
  ['softfail.todoku.test', 'softfail', /~all/],
  ['spffail.todoku.test', 'fail', /-all/],
  ['spfsyntax.todoku.test', 'permerror', /192\.0\.2\.300/],
  ['spfloop.todoku.test', 'permerror', /more than 10/],
  ['spfmany.todoku.test', 'permerror', /more than 10/],
  ['spfvoid.todoku.test', 'permerror', /more than 2 lookups found nothing/],
];
for (const [domain, word, detail] of SPF) {
  test(`SPF for ${domain} is ${word}`, async ({ page }) => {
    await openApp(page);
    await analyse(page, message({ mailFrom: `x@${domain}`, from: 'taro@todoku.test' }));
    await expect(result(page, 'live-spf')).toHaveAttribute('data-result', word);
    await expect(result(page, 'live-spf')).toContainText(detail);
  });
}

const DKIM = [
  ['a missing key', { ...SEL1, selector: 'missing' }, 'permerror', /no key published/],
  ['a key whose DNS fails', { ...SEL1, domain: 'servfail.todoku.test' }, 'temperror', /ServFail/],
  ['a revoked key', { ...SEL1, selector: 'revoked' }, 'permerror', /revoked/],
  ['a 512-bit key', { domain: 'todoku.test', selector: 'weak512', keyFile: 'weak512.todoku.test.pem' }, 'fail', /512 bits/],
];
for (const [what, sign, word, detail] of DKIM) {
  test(`DKIM with ${what} is ${word}`, async ({ page }) => {
    await openApp(page);
    await analyse(page, message({ mailFrom: 'taro@todoku.test', from: 'taro@todoku.test', sign }));
    await expect(result(page, 'live-dkim-0')).toHaveAttribute('data-result', word);
    await expect(result(page, 'live-dkim-0')).toContainText(detail);
  });
}

const DMARC = [
  ['reject', 'x@reject.todoku.test', 'pass', /p=reject/],
  ['none', 'x@monitor.todoku.test', 'pass', /p=none/],
  ['missing', 'x@elsewhere.test', 'none', /no.*DMARC record|neither/],
];
for (const [what, addr, word, detail] of DMARC) {
  test(`DMARC ${what}: ${addr} is ${word}`, async ({ page }) => {
    await openApp(page);
    await analyse(page, message({ mailFrom: addr, from: addr }));
    await expect(result(page, 'live-dmarc-eval')).toHaveAttribute('data-result', word);
    await expect(result(page, 'live-dmarc-eval')).toContainText(detail);
  });
}

test('DMARC fails when SPF passes only for another domain and nothing is signed', async ({ page }) => {
  await openApp(page);
  await analyse(page, message({ mailFrom: 'x@elsewhere.test', from: 'x@reject.todoku.test' }));
  await expect(result(page, 'live-spf')).toHaveAttribute('data-result', 'pass');
  await expect(result(page, 'live-dmarc-eval')).toHaveAttribute('data-result', 'fail');
  await expect(result(page, 'live-dmarc-eval')).toContainText('p=reject');
  // Signed by todoku.test, which shares reject.todoku.test's Organizational
  // Domain (found by the DNS tree walk): relaxed DKIM alignment passes.
  await analyse(page, message({ mailFrom: 'x@elsewhere.test', from: 'x@reject.todoku.test', sign: SEL1 }));
  await expect(result(page, 'live-dkim-0')).toHaveAttribute('data-result', 'pass');
  await expect(result(page, 'live-dmarc-eval')).toHaveAttribute('data-result', 'pass');
});

test('iprev: no PTR, a PTR that does not resolve back, a HELO that does not resolve', async ({ page }) => {
  await openApp(page);
  await analyse(page, message({ ip: '192.0.2.99', helo: 'nohost.todoku.test', mailFrom: 'taro@todoku.test', from: 'taro@todoku.test' }));
  await expect(result(page, 'live-iprev')).toHaveAttribute('data-result', 'fail');
  await expect(result(page, 'live-iprev')).toContainText('no reverse DNS');
  await expect(result(page, 'live-iprev')).toContainText('HELO nohost.todoku.test does not resolve');
  await analyse(page, message({ ip: '192.0.2.26', mailFrom: 'taro@todoku.test', from: 'taro@todoku.test' }));
  await expect(result(page, 'live-iprev')).toHaveAttribute('data-result', 'fail');
  await expect(result(page, 'live-iprev')).toContainText('does not resolve back');
});

test('ARC: a sealed chain passes, a body changed after sealing and an edited AAR fail', async ({ page }) => {
  const { problems } = await openApp(page);
  const sealed = message({ mailFrom: 'taro@todoku.test', from: 'taro@todoku.test', sign: SEL1, arc: SEL1 });
  await analyse(page, sealed);
  await expect(result(page, 'live-arc')).toHaveAttribute('data-result', 'pass');
  await expect(result(page, 'live-arc')).toContainText('sealed by i=1 d=todoku.test');
  const arcRow = page.locator('#then-now li').filter({ has: page.locator('strong', { hasText: /^arc$/ }) });
  await expect(arcRow).toHaveCount(1);
  await expect(arcRow).toContainText('today it is pass');

  await analyse(page, message({ mailFrom: 'taro@todoku.test', from: 'taro@todoku.test', sign: SEL1, arc: SEL1, tamper: true }));
  await expect(result(page, 'live-arc')).toHaveAttribute('data-result', 'fail');
  await expect(result(page, 'live-arc')).toContainText('ARC-Message-Signature (i=1)');

  await analyse(page, sealed.replace('spf=pass smtp.mailfrom', 'spf=fail smtp.mailfrom'));
  await expect(result(page, 'live-arc')).toHaveAttribute('data-result', 'fail');
  await expect(result(page, 'live-arc')).toContainText('ARC-Seal i=1');
  expectNoProblems(problems);
});
