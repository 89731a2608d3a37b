// End-to-end tests: the Trunk release build (dist/) in Debian's Chromium,
// against the local DNS environment (tests/dns, URL in TODOKU_TEST_DOH).
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const port = Number(process.env.TODOKU_E2E_PORT || 8081);
const faultPort = Number(process.env.TODOKU_FAULT_PORT || port + 9);

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.mjs$/,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  outputDir: 'test-results',
  // Where the fault DoH server listens, for the specs.
  metadata: { faultPort },
  use: {
    baseURL: `http://127.0.0.1:${port}/todoku/`,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: chromiumArgs,
    },
  },
  webServer: [
    {
      command: `node serve-dist.mjs ${port} /todoku/`,
      url: `http://127.0.0.1:${port}/todoku/`,
      reuseExistingServer: false,
      stdout: 'ignore',
    },
    {
      // A DoH endpoint that fails on purpose (fault-doh.mjs).
      command: `node fault-doh.mjs ${faultPort}`,
      port: faultPort,
      reuseExistingServer: false,
      stdout: 'ignore',
    },
  ],
});
