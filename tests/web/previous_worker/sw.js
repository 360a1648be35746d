// The service worker of the installable app (served as /sw.js with its version filled in).
//
// What it keeps, and why nothing private is ever kept:
// - the public pages (the emergency instruction on the landing page, the guide, happening-
//   now mode, the check, the offline episode form /log and /offline), fetched WITHOUT
//   cookies, in the language given in this script's URL (?lang=), so they hold no one's
//   data and no session;
// - the static files (scripts, styles, icons) and the manifest.
// Pages are asked from the server first; only when it cannot be reached is a kept copy
// used. A private page (a diary, settings, a share link) is never put in the cache: offline
// it is answered with /offline, and "log an episode" with the /log form. Other sites'
// requests are never touched.
"use strict";

var VERSION = "__VERSION__";
var LANG = new URL(self.location.href).searchParams.get("lang") || "en";
var CACHE = "spasmwatch-" + VERSION + "-" + LANG;
var PAGES = ["/", "/guide", "/now", "/check", "/log", "/offline"];
var STATIC = [
  "/static/app.css", "/static/parent.css", "/static/favicon.svg", "/static/htmx.min.js",
  "/static/now.js", "/static/warning.js", "/static/offline.js", "/static/reminders.js",
  "/static/icons/icon-192.png", "/static/icons/icon-512.png", "/manifest.webmanifest"
];
var EPISODE_FORM = /^\/children\/\d+\/episodes\/new$/;
var QUICK_MS = 4000;

function anonymous(path) {
  // No cookies: the copy is the page anyone sees, in the chosen language.
  return new Request(path, { credentials: "omit", headers: { "Accept-Language": LANG } });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(PAGES.concat(STATIC).map(function (path) {
      return fetch(anonymous(path)).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return cache.put(path, response);
      });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("spasmwatch-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function kept(path) {
  return caches.open(CACHE).then(function (cache) { return cache.match(path); });
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
          caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
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
