// The page's side of the analysis worker: one worker at a time, started
// through a Trusted Types policy that allows only ./worker.js; cancel()
// terminates it. Used by the Rust page code for large inputs; spawn() gives
// batch-client.js its workers through the same policy.
const policy = self.trustedTypes
  ? self.trustedTypes.createPolicy('todoku-worker', {
      createScriptURL: (url) => {
        if (url !== './worker.js') throw new TypeError(`refusing script URL ${url}`);
        return url;
      },
    })
  : null;

let current = null;

function cancel() {
  if (!current) return false;
  current.worker.terminate();
  current.reject(new Error('cancelled'));
  current = null;
  return true;
}

/** Analyse `bytes` (a Uint8Array) in the worker; resolves to the summary JSON. */
function analyze(bytes, now) {
  cancel();
  const worker = new Worker(policy ? policy.createScriptURL('./worker.js') : './worker.js', { type: 'module' });
  return new Promise((resolve, reject) => {
    current = { worker, reject };
    worker.onmessage = (event) => {
      worker.terminate();
      current = null;
      if (event.data.error) reject(new Error(event.data.error));
      else resolve(event.data.ok);
    };
    worker.onerror = (event) => {
      worker.terminate();
      current = null;
      reject(new Error(event.message || 'the analysis worker failed'));
    };
    worker.postMessage({ bytes, now }, [bytes.buffer]);
  });
}

/** A new analysis worker (the batch table's pool, batch-client.js). */
function spawn() {
  return new Worker(policy ? policy.createScriptURL('./worker.js') : './worker.js', { type: 'module' });
}

self.todokuWorker = { analyze, cancel, spawn };
