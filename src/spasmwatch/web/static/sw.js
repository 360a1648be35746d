// The service worker of the installable app (served as /sw.js with its version filled in).
//
// What it keeps, and why nothing private is ever kept:
// - the public pages (the emergency instruction on the landing page, the guide, happening-
//   now mode, the check, the offline episode form /log and /offline), fetched WITHOUT
//   cookies, in the language of the pages the phone shows (each page tells this worker its
//   language: static/offline.js), so they hold no one's data and no session;
// - the static files (scripts, styles, icons) and the manifest.
// Pages are asked from the server first; only when it cannot be reached is a kept copy
// used. A private page (a diary, settings, a share link) is never put in the cache: offline
// it is answered with /offline, and "log an episode" with the /log form. Other sites'
// requests are never touched.
//
// One worker serves every language: its URL never names one. A worker installed again for
// each language switch (a new URL) took over the page during the switch, and the browser
// could then leave the next page waiting for ever.
"use strict";

var VERSION = "__VERSION__";
var PREFIX = "spasmwatch-" + VERSION + "-";
var STATIC_CACHE = PREFIX + "static";
var PAGES = ["/", "/guide", "/now", "/check", "/log", "/offline"];
var STATIC = [
  "/static/app.css", "/static/parent.css", "/static/favicon.svg", "/static/htmx.min.js",
  "/static/now.js", "/static/warning.js", "/static/offline.js", "/static/forms.js",
  "/static/reminders.js",
  "/static/icons/icon-192.png", "/static/icons/icon-512.png", "/manifest.webmanifest"
];
// Where the language of the kept pages is written (in the static cache: it goes with the
// version), with, in this header, when the page that said it was loaded.
var LANGUAGE_KEY = "/__kept-language";
var LOADED_HEADER = "X-Page-Loaded";
var LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
var EPISODE_FORM = /^\/children\/\d+\/episodes\/new$/;
var QUICK_MS = 4000;

function pagesCache(lang) {
  return PREFIX + "pages-" + lang;
}

function anonymous(path, lang) {
  // No cookies: the copy is the page anyone sees, in the chosen language (a static file:
  // the browser's).
  var headers = lang ? { "Accept-Language": lang } : {};
  return new Request(path, { credentials: "omit", headers: headers });
}

function keepAll(cacheName, paths, lang) {
  return caches.open(cacheName).then(function (cache) {
    return Promise.all(paths.map(function (path) {
      return fetch(anonymous(path, lang)).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return cache.put(path, response);
      });
    }));
  });
}

// The language whose pages are kept and when the page that said it was loaded
// ({language, loaded}), or null before a page has said its language.
function keptState() {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(LANGUAGE_KEY);
  }).then(function (response) {
    if (!response) return null;
    var loaded = Number(response.headers.get(LOADED_HEADER)) || 0;
    return response.text().then(function (lang) { return { language: lang, loaded: loaded }; });
  });
}

function keptLanguage() {
  return keptState().then(function (state) { return state ? state.language : null; });
}

// The page loaded last that said its language ({language, loaded}): the kept pages follow
// it. Pages' messages come in any order: the page left for the language switch may say
// its language only after the next page said the new one (a busy phone, a slow check for
// a new worker), and it must not take the kept pages back to the old language. So each
// message says when its page was loaded, and one from a page loaded before the newest is
// ignored.
var newest = null;
var recalled = null;

function hear(lang, loaded) {
  if (!LANGUAGE.test(lang)) return Promise.resolve();
  if (!recalled) {
    // once per start of this worker: the newest is what was written last
    recalled = keptState().then(function (state) { newest = newest || state; }, function () {
      recalled = null;  // the cache could not be read: tried again with the next message
    });
  }
  return recalled.then(function () {
    // A newest "loaded" in the future: the phone's clock was put back, and the times
    // before it no longer say which page came last; the page is believed.
    if (newest && loaded < newest.loaded && newest.loaded <= Date.now()) return null;
    newest = { language: lang, loaded: loaded };
    return keepPages(lang);
  });
}

// The newest page's language and time written as kept, if it is still `lang` (whose pages
// are all kept by now).
function remember(lang) {
  if (!newest || newest.language !== lang) return null;
  var headers = {};
  headers[LOADED_HEADER] = String(newest.loaded);
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.put(LANGUAGE_KEY, new Response(lang, { headers: headers }));
  });
}

// The public pages in `lang`, fetched when the newest page says a language other than the
// kept one; the language is written only when all of them are kept (a half-done copy never
// answers) and only if it is still the newest page's (a quick switch back).
var keeping = {};
function keepPages(lang) {
  return keptLanguage().then(function (current) {
    if (current === lang) return remember(lang);
    if (!keeping[lang]) {
      keeping[lang] = keepAll(pagesCache(lang), PAGES, lang).then(function () {
        return remember(lang);
      }).then(function () { delete keeping[lang]; }, function (error) {
        delete keeping[lang];
        throw error;
      });
    }
    return keeping[lang];
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(keepAll(STATIC_CACHE, STATIC, null).then(function () {
    return self.skipWaiting();
  }));
});

// The copies of other versions go; those of this version in other languages stay (a
// bilingual family switches back and forth; they are public pages only).
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("spasmwatch-") === 0 && name.indexOf(PREFIX) !== 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// A page of this site says its language and when it was loaded ({language: "es",
// loaded: ms since 1970}: static/offline.js); only this site's pages can reach this
// worker. A page that sends a port with it is answered on the port, once its message was
// heard, with the language kept then ({kept: "es"}).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (typeof data.language !== "string") return;
  var loaded = typeof data.loaded === "number" && isFinite(data.loaded) ? data.loaded : 0;
  var port = event.ports && event.ports[0];
  event.waitUntil(hear(data.language, loaded).catch(function () {
    /* the server did not give every page: asked again by the next page */
  }).then(function () {
    if (!port) return null;
    return keptLanguage().then(function (lang) { port.postMessage({ kept: lang }); });
  }));
});

// The kept copy of a page (in the kept language) or of a static file; undefined if none.
function kept(path) {
  if (PAGES.indexOf(path) < 0) {
    return caches.open(STATIC_CACHE).then(function (cache) { return cache.match(path); });
  }
  return keptLanguage().then(function (lang) {
    if (!lang) return undefined;
    return caches.open(pagesCache(lang)).then(function (cache) { return cache.match(path); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    var path = url.pathname;
    var kept_copy = PAGES.indexOf(path) >= 0 ? path : EPISODE_FORM.test(path) ? "/log" : null;
    var fallback = function () {
      return kept(kept_copy || "/offline").then(function (response) {
        return response || kept("/offline");
      });
    };
    var network = fetch(request);
    // When the server cannot be reached: the kept copy, and where it is not there (not
    // yet fetched, or just deleted by a new version or language of this worker) never
    // nothing, but the browser's own error page.
    var offline = function () {
      return fallback().then(function (response) { return response || Response.error(); },
        function () { return Response.error(); });
    };
    if (!kept_copy) {
      event.respondWith(network.catch(offline));
      return;
    }
    // A page kept for offline use (the emergency call, the guide, happening-now mode, the
    // form) must not wait on a server that does not answer (a phone with a network but
    // not the home server's): the kept copy after QUICK_MS, the server's page if sooner.
    // Without a kept copy the server's page is waited for, however slow.
    event.respondWith(new Promise(function (resolve) {
      var done = false;
      var answer = function (response) {
        if (done || !response) return;
        done = true;
        clearTimeout(timer);
        resolve(response);
      };
      var timer = setTimeout(function () {
        fallback().then(answer, function () { /* no copy: the server's page */ });
      }, QUICK_MS);
      network.then(answer, function () { offline().then(answer); });
    }));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname === "/manifest.webmanifest") {
    // The kept copy at once; the server's answer refreshes it for next time.
    event.respondWith(kept(url.pathname).then(function (cached) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok && STATIC.indexOf(url.pathname) >= 0) {
          var copy = response.clone();
          caches.open(STATIC_CACHE).then(function (cache) { cache.put(url.pathname, copy); });
        }
        return response;
      });
      if (cached) {
        fresh.catch(function () { return null; });
        return cached;
      }
      return fresh;
    }, function () { return fetch(request); }));
  }
});

// The daily reminder (off unless the parent turned it on: static/reminders.js). Where the
// browser offers periodic background sync to an installed app, it wakes this worker about
// once a day; the page itself shows the reminder when it is open at the chosen time.
function reminderSetting() {
  // Written by static/reminders.js (IndexedDB "spasmwatch", store "meta", key "reminder").
  return new Promise(function (resolve) {
    var req = indexedDB.open("spasmwatch", 1);
    req.onupgradeneeded = function () {
      req.result.createObjectStore("queue", { keyPath: "key" });
      req.result.createObjectStore("meta");
    };
    req.onerror = function () { resolve(null); };
    req.onsuccess = function () {
      var db = req.result;
      var get = db.transaction("meta", "readonly").objectStore("meta").get("reminder");
      get.onsuccess = function () { resolve(get.result || null); db.close(); };
      get.onerror = function () { resolve(null); db.close(); };
    };
  });
}

self.addEventListener("periodicsync", function (event) {
  if (event.tag !== "spasmwatch-reminder") return;
  event.waitUntil(reminderSetting().then(function (setting) {
    if (!setting || !setting.on) return null;  // off unless the parent turned it on
    return self.registration.showNotification("spasmwatch", {
      body: setting.text || "Log today's spasms in spasmwatch",
      tag: "spasmwatch-reminder",
      icon: "/static/icons/icon-192.png"
    });
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(self.clients.openWindow("/log"));
});
