// Registers the service worker (offline use) and offers updates: a new
// version is used only when the user presses "Reload". Trusted Types are
// enforced, so the worker URL goes through a policy that allows only ./sw.js.
if ('serviceWorker' in navigator) {
  const policy = self.trustedTypes
    ? self.trustedTypes.createPolicy('todoku-sw', {
        createScriptURL: (url) => {
          if (url !== './sw.js') throw new TypeError(`refusing script URL ${url}`);
          return url;
        },
      })
    : null;
  // The page's language (the app sets <html lang>; it may not have yet).
  const ja = () => {
    let saved = null;
    try { saved = localStorage.getItem('todoku.lang'); } catch { /* storage blocked */ }
    return (saved || document.documentElement.lang || navigator.language || '').toLowerCase().startsWith('ja');
  };
  // Offered only when a worker already controls the page: a first visit
  // installs the first worker, which is not an update (issue 18).
  const offerUpdate = (registration) => {
    if (!navigator.serviceWorker.controller) return;
    if (!registration.waiting || document.getElementById('update')) return;
    const bar = document.createElement('p');
    bar.id = 'update';
    bar.setAttribute('role', 'status');
    bar.textContent = ja() ? 'Todoku の新しいバージョンがあります。' : 'A new version of Todoku is ready. ';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = ja() ? '再読み込み' : 'Reload';
    button.addEventListener('click', () => {
      accepted = true;
      if (registration.waiting) registration.waiting.postMessage({ type: 'skip-waiting' });
    });
    bar.append(button);
    document.body.prepend(bar);
  };
  // Reload only for an update the user accepted; the first install taking
  // control of the page (clients.claim) changes nothing the user sees.
  let accepted = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!accepted) return;
    accepted = false;
    location.reload();
  });
  navigator.serviceWorker
    .register(policy ? policy.createScriptURL('./sw.js') : './sw.js')
    .then((registration) => {
      offerUpdate(registration);
      registration.addEventListener('updatefound', () => {
        const worker = registration.installing;
        if (worker) worker.addEventListener('statechange', () => worker.state === 'installed' && offerUpdate(registration));
      });
    })
    .catch((err) => console.warn('Todoku: offline support unavailable:', err.message));
}
