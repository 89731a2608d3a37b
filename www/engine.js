// The engine (crates/todoku-web: analysis, report, live checks, batch
// table), the page's second WebAssembly module, loaded on the first input
// or as soon as the page is idle, whichever comes first. The first module
// (crates/todoku-web-shell: language, help, samples, resolver choice, drop
// and paste) calls it through todokuEngine.call(name, ...args). The analysis
// workers (worker.js) load the same module. post-build names the hashed
// module and wasm here (as in worker.js); the service worker precaches them
// like every file of the build, so the engine works offline too.
let engine = null;

function load() {
  if (!engine) {
    engine = import('/* ENGINE */')
      .then(async (m) => {
        await m.default({ module_or_path: new URL('/* ENGINE_WASM */', import.meta.url) });
        // Importing the engine wires nothing (it is also the JS API, for
        // Node and workers: docs/js-api.md); the page asks for its wiring.
        m.page_wire();
        return m;
      })
      .catch((err) => {
        // Tried again with the next input (a network error while online).
        engine = null;
        throw err;
      });
  }
  return engine;
}

/** The engine's `name` called with `args`, once it is loaded. */
async function call(name, ...args) {
  const m = await load();
  return m[name](...args);
}

self.todokuEngine = { load, call };

// The batch table (batch-client.js) is only for a batch: imported when the
// engine's page code starts one (crates/todoku-web/src/batch.rs calls
// todokuBatch.start), not with the page. The service worker precaches it
// like every file of the build, so a batch works offline too.
let batch = null;

/** Resolves once the batch table has taken `items` ([{ file, mbox }]). */
async function startBatch(items) {
  if (!batch) {
    batch = import('./batch-client.js').catch((err) => {
      // Tried again with the next batch (a network error while online).
      batch = null;
      throw err;
    });
  }
  (await batch).start(items);
}

self.todokuBatch = { start: startBatch };

// Prefetch once the page has settled: the first analysis should not wait.
function idle() {
  const later = () => load().catch(() => {});
  if (self.requestIdleCallback) self.requestIdleCallback(later, { timeout: 2000 });
  else setTimeout(later, 200);
}
if (typeof document === 'undefined') {
  // Not a page: nothing to prefetch for.
} else if (document.readyState === 'complete') idle();
else addEventListener('load', idle, { once: true });
