// Importing the engine (the JS API, docs/js-api.md) does nothing
// page-specific: even where a window and a document exist (here a stand-in
// whose document has every element), initialising the module reads no
// element and wires nothing; only the page's own `page_wire()` does.
// (Its own file: node --test runs each file in its own process, and this
// one changes the global object.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

test('initialising the engine module reads no document, even in a window', async () => {
  const names = readdirSync(dist);
  const js = names.find((f) => /^todoku-web-[0-9a-f]{16}\.js$/.test(f));
  const wasm = names.find((f) => /^todoku-web-[0-9a-f]{16}_bg\.wasm$/.test(f));
  assert.ok(js && wasm, `the engine module in ${dist} (run trunk build --release first)`);

  // The global object made to pass `instanceof Window`, with a document
  // that records every element asked for (and has them all).
  const asked = [];
  class Window {}
  Object.setPrototypeOf(Window.prototype, Object.getPrototypeOf(globalThis));
  Object.setPrototypeOf(globalThis, Window.prototype);
  globalThis.Window = Window;
  const element = new Proxy({}, { get: () => () => element });
  globalThis.document = new Proxy(
    {},
    {
      get(_, name) {
        asked.push(String(name));
        return name === 'getElementById' ? (id) => (asked.push(`#${id}`), element) : () => element;
      },
    },
  );
  assert.ok(globalThis instanceof Window, 'the stand-in window is one');

  const engine = await import(pathToFileURL(join(dist, js)).href);
  await engine.default({ module_or_path: readFileSync(join(dist, wasm)) });
  assert.deepEqual(asked, [], 'no document access on import and init');
  assert.equal(typeof engine.analyze, 'function');
  assert.equal(typeof engine.page_wire, 'function', 'the page wires itself through page_wire');
});
