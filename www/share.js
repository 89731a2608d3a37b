// Private share links (issue 18): the redacted headers, compressed with
// CompressionStream('deflate-raw') and base64url-encoded into the URL's
// #fragment. Browsers never send a fragment to a server, so the link carries
// the headers from one browser to another without any server seeing them.
// Used by the Rust page code (window.todokuShare).
const PREFIX = '#h=';
// The longest fragment made or read: links much longer than this are cut by
// mail and chat programs.
const LIMIT = 32 * 1024;
// The most a link may expand to (a deflate stream can grow 1000-fold).
const MAX_TEXT = 1 << 20;

async function compress(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function decompress(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_TEXT) {
      await reader.cancel();
      throw new Error('too-large');
    }
    parts.push(value);
  }
  return new TextDecoder().decode(await new Blob(parts).arrayBuffer());
}

function toBase64url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text) {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** The share link for `text`; rejects with 'too-large' past the limit. */
async function encode(text) {
  const fragment = PREFIX + toBase64url(await compress(new TextEncoder().encode(text)));
  if (fragment.length > LIMIT) throw new Error('too-large');
  return location.origin + location.pathname + location.search + fragment;
}

/** The text a `#h=` fragment holds, or null when `hash` is not a share link. */
async function decode(hash) {
  if (!hash.startsWith(PREFIX) || hash.length > LIMIT) return null;
  return decompress(fromBase64url(hash.slice(PREFIX.length)));
}

self.todokuShare = { encode, decode, limit: LIMIT };
