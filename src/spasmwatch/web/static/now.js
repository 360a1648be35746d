// Happening-now mode: a timer, one tap per movement, the call to make when a continuous
// seizure reaches 5 minutes, then the episode form (or the check) filled in for
// confirmation: the start, the length, the taps and, with "it does not stop", the
// movements. A static file: the pages allow no inline script. Time comes from Date.now(),
// so tests can run it on a fake clock.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("now");
  if (!root) return;
  var $ = function (id) { return document.getElementById(id); };
  var longMs = Number(root.getAttribute("data-long-ms")) || 300000;
  // Words in the page's language (data-* of #now), with %(name)s filled in here.
  function say(name, fallback, values) {
    var text = root.getAttribute("data-" + name) || fallback;
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("%(" + key + ")s", values[key]);
    });
    return text;
  }
  var start = 0, taps = [], timer = null, called = false;
  // A number of seconds as the page's language writes it ("4.0" in English, "4,0" in
  // Spanish); the values sent in the form's link stay with a decimal point.
  function shown(seconds) {
    var lang = document.documentElement.lang || "en";
    return seconds.toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }

  function minSec(ms) {
    var s = Math.floor(ms / 1000);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function meanGapS() {
    if (taps.length < 2) return null;
    return (taps[taps.length - 1] - taps[0]) / (taps.length - 1) / 1000;
  }
  function localMinute(ms) {
    var d = new Date(ms), p = function (n) { return String(n).padStart(2, "0"); };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" +
      p(d.getHours()) + ":" + p(d.getMinutes());
  }
  function tick() {
    var elapsed = Date.now() - start;
    $("now-clock").textContent = minSec(elapsed);
    if ($("now-continuous").checked && elapsed >= longMs && !called) {
      called = true;
      $("now-call").hidden = false;
      $("now-call").scrollIntoView({ block: "start" });
    }
  }
  $("now-start").addEventListener("click", function () {
    start = Date.now();
    taps = [];
    called = false;
    $("now-start").hidden = true;
    $("now-running").hidden = false;
    $("now-done").hidden = true;
    timer = setInterval(tick, 250);
    tick();
  });
  $("now-tap").addEventListener("click", function () {
    taps.push(Date.now());
    $("now-count").textContent = String(taps.length);
    var gap = meanGapS();
    $("now-every").textContent = gap === null ? "" :
      ", " + say("every", "one every %(s)s s", { s: shown(gap) });
  });
  $("now-continuous").addEventListener("change", tick);
  $("now-stop").addEventListener("click", function () {
    clearInterval(timer);
    var elapsed = Date.now() - start;
    var continuous = $("now-continuous").checked;
    var params = new URLSearchParams();
    params.set("started_at", localMinute(start));
    // The whole length in seconds, as the clock showed it: the form shows it as measured
    // ("26 s"; web.forms.prefill), where minutes to one decimal made 26 s "0.4".
    params.set("episode_seconds", String(Math.max(1, Math.floor(elapsed / 1000))));
    if (taps.length) params.set("count", String(taps.length));
    var gap = meanGapS();
    if (gap !== null) params.set("interval_seconds", gap.toFixed(1));
    if (continuous && elapsed >= longMs) params.set("long_episode", "yes");
    // "Shaking or stiffness that goes on": both are ticked, for the parent to untick the
    // one not seen; the form says so (from=now).
    if (continuous) {
      params.append("movements", "rhythmic_jerking");
      params.append("movements", "stiffening");
    }
    params.set("from", "now");
    var words = [say("in-all", "%(t)s in all", { t: minSec(elapsed) })];
    if (taps.length) {
      words.push(taps.length > 1
        ? say("movements", "%(n)s movements", { n: taps.length })
        : say("movement", "%(n)s movement", { n: 1 }));
    }
    if (gap !== null) words.push(say("every", "one every %(s)s s", { s: shown(gap) }));
    if (continuous) words.push(say("continuous", "shaking or stiffness that did not stop"));
    $("now-summary").textContent = words.join(", ") + ".";
    document.querySelectorAll(".now-confirm").forEach(function (a) {
      var base = a.getAttribute("data-base");
      a.href = base + (base.indexOf("?") >= 0 ? "&" : "?") + params.toString();
    });
    $("now-running").hidden = true;
    $("now-done").hidden = false;
    $("now-start").hidden = false;
    $("now-start").textContent = say("again", "Start again");
  });
});
