// The optional daily reminder, off by default: "log today's spasms" at a time the parent
// chooses, as a notification of the installed app. Kept in this browser only (IndexedDB,
// through static/offline.js); nothing is sent to the server. The page shows the reminder
// when it is open at that time; where the browser offers periodic background sync to the
// installed app, the service worker shows it too.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("reminder-form");
  var store = window.spasmwatchStore;
  if (!store) return;
  var box = document.getElementById("queue");
  var text = (box && box.getAttribute("data-reminder")) || "Log today's spasms";

  function today() { return new Date().toISOString().slice(0, 10); }
  function due(setting) {
    if (!setting || !setting.on) return false;
    var parts = (setting.time || "20:00").split(":");
    var at = new Date();
    at.setHours(Number(parts[0]), Number(parts[1]), 0, 0);
    return Date.now() >= at.getTime() && setting.shown !== today();
  }
  function show(setting) {
    setting.shown = today();
    store.setMeta("reminder", setting);
    var options = { body: text, tag: "spasmwatch-reminder", icon: "/static/icons/icon-192.png" };
    if (navigator.serviceWorker && navigator.serviceWorker.ready) {
      navigator.serviceWorker.ready.then(function (reg) { reg.showNotification("spasmwatch", options); });
    } else {
      new Notification("spasmwatch", options);  // eslint-disable-line no-new
    }
  }
  function watch() {
    store.getMeta("reminder").then(function (setting) {
      if (due(setting) && window.Notification && Notification.permission === "granted") show(setting);
    });
  }
  watch();
  setInterval(watch, 60000);

  if (!form) return;
  var on = document.getElementById("reminder-on");
  var time = document.getElementById("reminder-time");
  var status = document.getElementById("reminder-status");
  store.getMeta("reminder").then(function (setting) {
    on.checked = !!(setting && setting.on);
    time.value = (setting && setting.time) || "20:00";
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var setting = { on: on.checked, time: time.value || "20:00", text: text, shown: null };
    var ask = setting.on && window.Notification && Notification.permission !== "granted"
      ? Notification.requestPermission() : Promise.resolve(window.Notification ? Notification.permission : "denied");
    ask.then(function (permission) {
      if (setting.on && permission !== "granted") {
        setting.on = false;
        on.checked = false;
        status.textContent = status.getAttribute("data-denied");
      } else {
        status.textContent = status.getAttribute(setting.on ? "data-on" : "data-off");
      }
      return store.setMeta("reminder", setting);
    }).then(function () {
      if (!navigator.serviceWorker) return;
      return navigator.serviceWorker.ready.then(function (reg) {
        if (!reg.periodicSync) return;
        return setting.on
          ? reg.periodicSync.register("spasmwatch-reminder", { minInterval: 12 * 3600 * 1000 })
          : reg.periodicSync.unregister("spasmwatch-reminder");
      }).catch(function () { /* not offered: the page shows it when open */ });
    });
  });
});
