// Todoku's service worker: the app works offline after one visit.
// - Precaches the build's files (list and version written by scripts/post-build.mjs).
// - Serves same-origin GET requests only; DNS-over-HTTPS queries and anything
//   on another origin are never intercepted or cached. Where the browser has
//   static routes (Chromium 123+), other origins are routed to the network
//   without waking this worker at all: otherwise every DoH question of a live
//   check would first make a round trip through this thread's fetch event.
// - A new version waits until the user accepts it (message 'skip-waiting').
/* PRECACHE: replaced at build time */
const VERSION = 'dev';
const PRECACHE = ['./'];
/* END PRECACHE */

const CACHE = `todoku-${VERSION}`;

/** A static route: every request to another origin goes to the network. */
function otherOriginsToNetwork(event) {
  if (typeof event.addRoutes !== 'function' || typeof URLPattern !== 'function') return null;
  const here = new URL(self.location.href);
  const sameOrigin = new URLPattern({ protocol: here.protocol.slice(0, -1), hostname: here.hostname, port: here.port });
  // A browser that cannot take this rule keeps the fetch handler's own check.
  return event.addRoutes({ condition: { not: { urlPattern: sameOrigin } }, source: 'network' }).catch(() => {});
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
