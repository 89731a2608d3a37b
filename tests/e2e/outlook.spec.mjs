// Outlook .msg files (issue 17): recognised by their bytes, not their name;
// the transport headers are analysed and shown, and a .msg without them says
// why. The files are ../shared/corpora/msg (real messages, kept out of the
// repo); corpus() gives a file's bytes as Latin-1 text.
import { test, expect } from '@playwright/test';
import { openApp, expectNoProblems, corpus } from './helpers.mjs';

test('an Outlook .msg chosen with the file picker is analysed from its transport headers', async ({ page }) => {
  const file = corpus('msg/marirs-test_email_4.msg');
  test.skip(!file, 'corpus missing');
  const { problems } = await openApp(page);
  // Offline: the message's domains are not in the test DNS.
  await page.locator('#offline').check();
  // A name that says nothing: the compound-file signature decides.
  await page.locator('#file').setInputFiles({
    name: 'saved-message',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(file, 'latin1'),
  });
  await expect(page.locator('#outlook-note')).toContainText('Outlook .msg');
  await expect(page.locator('#hops tbody tr')).toHaveCount(3);
  await expect(page.locator('#summary')).toContainText('account-testing7777@protonmail.com');
  // The raw view shows the header text the spans point into, not the file's bytes.
  await expect(page.locator('#raw-headers')).toContainText('Authentication-Results:');
  expectNoProblems(problems);
});

test('an Outlook draft says why it has no headers and what to give instead', async ({ page }) => {
  const file = corpus('msg/hiraoka-Hello_CJK.msg');
  test.skip(!file, 'corpus missing');
  const { problems } = await openApp(page);
  await page.locator('#file').setInputFiles({ name: 'Hello.msg', mimeType: 'application/vnd.ms-outlook', buffer: Buffer.from(file, 'latin1') });
  const alert = page.locator('#report .problem');
  await expect(alert).toContainText('draft');
  await expect(alert).toContainText('Internet headers');
  expectNoProblems(problems);
});
