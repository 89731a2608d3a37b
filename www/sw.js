// Todoku's service worker: the app works offline after one visit.
// - Precaches the build's files (list and version written by scripts/post-build.mjs).
// - Serves same-origin GET requests only; other origins (DNS-over-HTTPS) are
//   never intercepted or cached, and a static route (Chromium 123+) sends them
//   to the network without starting this worker for a live check.
// - A new version waits until the user accepts it (message 'skip-waiting').
/* PRECACHE: replaced at build time */
const VERSION = 'dev';
const PRECACHE = ['./'];
/* END PRECACHE */

const CACHE = `todoku-${VERSION}`;

// Without the route (or if it is refused, or the host makes no pattern,
// as an IPv6 literal may), the fetch handler's check stays.
function otherOriginsToNetwork(event) {
  try {
    const u = new URL(self.location.href);
    const here = new URLPattern({ protocol: u.protocol.slice(0, -1), hostname: u.hostname, port: u.port });
    return event.addRoutes({ condition: { not: { urlPattern: here } }, source: 'network' }).catch(() => {});
  } catch {
    return null;
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(Promise.all([caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)), otherOriginsToNetwork(event)]));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('todoku-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== 'GET') return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(event.request, { ignoreSearch: true });
      if (hit) return hit;
      if (event.request.mode === 'navigate') {
        const index = await cache.match(new URL('./index.html', self.registration.scope).href);
        if (index) return index;
      }
      return fetch(event.request);
    })(),
  );
});
