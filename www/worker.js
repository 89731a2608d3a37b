// Analyses large inputs off the page's thread, with the same engine (the
// release module, named at build time by scripts/post-build.mjs). The page
// can stop it at any time (worker-client.js terminates it). The batch table
// (batch-client.js) uses the same worker for rows and mailbox splitting.
import init, { worker_analyze, batch_row, batch_too_large, MboxReader } from '/* MODULE */';

// The hashed .wasm next to this file (named at build time, like the module).
const ready = init({ module_or_path: new URL('/* WASM */', import.meta.url) });

// Larger files are reported as too large by the core (64 MiB): read no more.
const MAX_FILE = 64 * 1024 * 1024 + 1;
// Bytes of a mailbox read at a time.
const CHUNK = 1024 * 1024;

let mbox = null;

// The next messages of the open mailbox: chunks are read (File.slice) until
// at least one message is complete or the file ends.
async function splitNext() {
  const parts = [];
  const transfer = [];
  const take = (atEnd) => {
    for (let p = mbox.reader.next(atEnd); p; p = mbox.reader.next(atEnd)) {
      const [index, start, end] = p;
      const source = `${mbox.file.name} #${index + 1}`;
      const bytes = mbox.reader.take_bytes();
      const part = { index, start, end, source };
      if (bytes) {
        part.bytes = bytes;
        transfer.push(bytes.buffer);
      } else {
        part.row = JSON.parse(batch_too_large(0, source, end - start));
      }
      parts.push(part);
    }
  };
  while (!parts.length && mbox.pos < mbox.file.size) {
    const chunk = mbox.file.slice(mbox.pos, mbox.pos + CHUNK);
    mbox.pos += chunk.size;
    mbox.reader.push(new Uint8Array(await chunk.arrayBuffer()));
    take(false);
  }
  const done = mbox.pos >= mbox.file.size;
  if (done) {
    take(true);
    mbox.reader.free();
    mbox = null;
  }
  return [{ parts, done }, transfer];
}

async function batch(data) {
  if (data.op === 'rows') {
    const rows = [];
    for (const j of data.jobs) {
      const bytes = j.bytes || new Uint8Array(await j.file.slice(0, MAX_FILE).arrayBuffer());
      rows.push(JSON.parse(batch_row(bytes, j.index, j.source, data.now)));
    }
    return [rows, []];
  }
  if (data.op === 'split-open') {
    mbox = { file: data.file, pos: 0, reader: new MboxReader() };
    return [true, []];
  }
  return splitNext();
}

self.onmessage = async (event) => {
  await ready;
  if (event.data.op) {
    try {
      const [ok, transfer] = await batch(event.data);
      self.postMessage({ id: event.data.id, ok }, transfer);
    } catch (err) {
      self.postMessage({ id: event.data.id, error: String(err) });
    }
    return;
  }
  const { bytes, now } = event.data;
  try {
    self.postMessage({ ok: worker_analyze(bytes, now) });
  } catch (err) {
    self.postMessage({ error: String(err) });
  }
};
