/* The field app's service worker, served at /field/sw.js with SHELL (version, page, assets, formOptions)
   prepended by suragh/intake/pwa.py.

   - The shell (page, script, stylesheet, icons, manifest, Urdu font) is kept in a cache named after its version;
     a new version installs beside the old one and removes it when it takes over.
   - The page is fetched fresh when the network answers within a few seconds (it names who is signed in) and
     served from the cache otherwise.
   - The other shell files are served from the cache.
   - The form's options (substances, districts …) come from the network when it answers, else from the cache.
   - Reports are never touched here: the page sends them, and a failed send leaves them in the phone's queue. */
"use strict";

const SHELL_CACHE = `suragh-field-shell-${SHELL.version}`;
const DATA_CACHE = "suragh-field-data";
const PAGE_TIMEOUT_MS = 4000;

function isShellPage(response) {
  // A signed-out officer is redirected to the sign-in page: that is not the app and must not replace it.
  return response.ok && !response.redirected && response.type === "basic";
}

async function keepPage(cache) {
  try {
    const response = await fetch(SHELL.page, { credentials: "same-origin", cache: "no-store" });
    if (isShellPage(response)) await cache.put(SHELL.page, response);
  } catch (error) {
    // Installing with no signal: the page is kept the next time it loads.
  }
}

async function keepFormOptions() {
  try {
    const response = await fetch(SHELL.formOptions, { credentials: "same-origin", cache: "no-store" });
    if (response.ok) await (await caches.open(DATA_CACHE)).put(SHELL.formOptions, response);
  } catch (error) {
    // Fetched again whenever the page loads with a signal.
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(SHELL.assets.map((url) => new Request(url, { cache: "reload" })));
      await Promise.all([keepPage(cache), keepFormOptions()]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("suragh-field-shell-") && name !== SHELL_CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

function withTimeout(promise, milliseconds) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out")), milliseconds);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const OFFLINE_PAGE = `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Suragh field reports</title><body style="font-family:system-ui;padding:1rem">
<h1>No signal</h1><p>The app has not been opened on this phone with a signal yet. Open it once online.</p>`;

async function servePage(request) {
  const cache = await caches.open(SHELL_CACHE);
  const network = fetch(request);
  try {
    const response = await withTimeout(network, PAGE_TIMEOUT_MS);
    if (isShellPage(response)) {
      await cache.put(SHELL.page, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(SHELL.page);
    if (cached) return cached;
    try {
      return await network;
    } catch (stillFailing) {
      return new Response(OFFLINE_PAGE, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    }
  }
}

async function serveFormOptions(request) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(SHELL.formOptions, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(SHELL.formOptions);
    if (cached) return cached;
    throw error;
  }
}

async function serveAsset(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL.page) {
    event.respondWith(servePage(request));
  } else if (url.pathname === SHELL.formOptions) {
    event.respondWith(serveFormOptions(request));
  } else if (SHELL.assets.includes(url.pathname + url.search)) {
    event.respondWith(serveAsset(request));
  }
});
