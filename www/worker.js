// Analyses large inputs off the page's thread, with the same engine (the
// release module, named at build time by scripts/post-build.mjs). The page
// can stop it at any time (worker-client.js terminates it).
import init, { worker_analyze } from '/* MODULE */';

// The hashed .wasm next to this file (named at build time, like the module).
const ready = init({ module_or_path: new URL('/* WASM */', import.meta.url) });

self.onmessage = async (event) => {
  await ready;
  const { bytes, now } = event.data;
  try {
    self.postMessage({ ok: worker_analyze(bytes, now) });
  } catch (err) {
    self.postMessage({ error: String(err) });
  }
};
