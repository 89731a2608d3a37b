// DNS faults end to end: each is classified, shown plainly, and nothing hangs
// past the per-query timeout or crashes.
import { test, expect } from '@playwright/test';
import { openApp, fixture, doh } from './helpers.mjs';

const FAULTS = [
  ['refused', 'temperror', /REFUSED|Refused/],
  ['http403', 'unavailable', /HTTP status 403/],
  ['http502', 'unavailable', /HTTP status 502/],
  ['nocors', 'unavailable', /could not be reached/],
  ['truncated', 'unavailable', /malformed/],
  ['garbage', 'unavailable', /malformed/],
  ['wrongq', 'unavailable', /malformed.*answer for "other.test"/],
  ['cnameloop', 'none', /No DMARC record/],
  ['bigtxt', 'found', /^v=DMARC1; p=none; x=a{1000}/],
  ['timeout', 'unavailable', /did not answer in time/],
  // Issue 19 items 7 and 8: answers that do not answer the question.
  ['otherowner', 'none', /No DMARC record/],
  ['tcflag', 'unavailable', /malformed.*TC flag/],
  ['json', 'unavailable', /malformed.*"application\/dns-json", not application\/dns-message/],
  ['redirect', 'unavailable', /redirects are not followed/],
  ['answer', 'found', /^v=DMARC1; p=none$/],
];

for (const [fault, status, text] of FAULTS) {
  test(`DoH fault "${fault}" is reported as ${status}`, async ({ page }, info) => {
    const uncaught = [];
    page.on('pageerror', (e) => uncaught.push(e.message));
    await openApp(page);
    const port = info.config.metadata.faultPort;
    await page.locator('#doh-url').fill(`http://127.0.0.1:${port}/${fault}/dns-query`);
    await page.locator('#doh-url').dispatchEvent('change');
    await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
    const started = Date.now();
    await page.locator('#analyze').click();
    // The offline analysis is there at once, whatever DNS does.
    await expect(page.locator('#hops tbody tr')).toHaveCount(4);
    await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', status, { timeout: 15_000 });
    await expect(page.locator('#live-dmarc-value')).toHaveText(text);
    expect(Date.now() - started).toBeLessThan(12_000); // the 5 s per-query timeout plus slack
    expect(uncaught).toEqual([]);
  });
}

test('an unreachable resolver fails over to the next one in the list', async ({ page }, info) => {
  const { problems } = await openApp(page);
  const port = info.config.metadata.faultPort;
  await page.locator('#doh-url').fill(`http://127.0.0.1:${port}/http502/dns-query ${doh()}`);
  await page.locator('#doh-url').dispatchEvent('change');
  await page.locator('#input').fill(fixture('postfix-to-gmail.txt'));
  await page.locator('#analyze').click();
  await expect(page.locator('#live-dmarc')).toHaveAttribute('data-status', 'found', { timeout: 15_000 });
  await expect(page.locator('#live')).toHaveAttribute('data-status', 'done');
  await expect(page.locator('#live p.query').first()).toContainText(`Via ${doh()}`);
  // The failed attempt is a network error in the console, which is expected here.
  expect(problems.filter((p) => !/502|Failed to load resource/.test(p))).toEqual([]);
});
