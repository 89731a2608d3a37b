// Browser benchmarks (scripts/bench.sh, not part of the test run): the
// release build in Debian's Chromium, one test at a time so timings do not
// compete for the two cores.
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../e2e/chromium.mjs';

const port = Number(process.env.TODOKU_BENCH_PORT || 8091);

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.bench\.mjs$/,
  timeout: 900_000,
  expect: { timeout: 120_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: '../../.tmp/bench-results',
  use: {
    baseURL: `http://127.0.0.1:${port}/todoku/`,
    // The live-check benchmark's DoH server (h2-doh.mjs) has a throwaway certificate.
    ignoreHTTPSErrors: true,
    launchOptions: {
      executablePath: chromiumPath,
      args: [...chromiumArgs, '--enable-precise-memory-info'],
    },
  },
  webServer: [
    {
      command: `node ../e2e/serve-dist.mjs ${port} /todoku/`,
      url: `http://127.0.0.1:${port}/todoku/`,
      reuseExistingServer: false,
      stdout: 'ignore',
    },
  ],
});
