// Warning signs first: ticking any warning sign (or "it lasted 5 minutes or more") shows the
// emergency answer at once, before the form is sent. A static file: the pages allow no
// inline script. Without JavaScript the answer comes when the form is sent.
//
// The answer is worded as the child page words it (web/render.py, past_warning): when the
// form's start ("When did it start?") is more than 24 h before the phone's time, the
// warning sign is past, and the box says when it was seen ("A warning sign was last seen 3
// weeks ago, on 12 Nov 2026.") and what to do, instead of "call now". How long ago is
// counted in days, then weeks, months and years by the steps the page gives
// (data-age-steps: spasmwatch.i18n.AGE_STEPS, which time_ago uses), and written with the
// browser's words for the page's language (Intl).
"use strict";
(function () {
  var DAY_MS = 86400000;

  // Days between the calendar days of two times (as the server counts them: by the day
  // written, not by 24-hour spans).
  function daysBetween(earlier, later) {
    var a = Date.UTC(earlier.getFullYear(), earlier.getMonth(), earlier.getDate());
    var b = Date.UTC(later.getFullYear(), later.getMonth(), later.getDate());
    return Math.round((b - a) / DAY_MS);
  }

  // "3 weeks ago", "hace 3 semanas": the steps of spasmwatch.i18n.AGE_STEPS, which the
  // page gives ([max_days or null, unit, days_per_unit], ...). In the server's words
  // (spasmwatch.i18n.time_ago): "today" and "yesterday" by their word, every other day
  // by its number ("hace 2 días", never the browser's "anteayer").
  function ago(days, lang, steps) {
    var unit = "day", n = days;
    for (var i = 0; i < steps.length; i++) {
      if (steps[i][0] === null || days <= steps[i][0]) {
        unit = steps[i][1];
        n = Math.floor(days / steps[i][2]);
        break;
      }
    }
    n = Math.max(n, 0);
    var numeric = unit === "day" && n <= 1 ? "auto" : "always";
    return new Intl.RelativeTimeFormat(lang, { numeric: numeric }).format(-n, unit);
  }

  function stepsOf(panel) {
    try {
      var steps = JSON.parse(panel.getAttribute("data-age-steps") || "[]");
      return Array.isArray(steps) ? steps : [];
    } catch (e) {
      return [];
    }
  }

  // "12 Nov 2026", "12 nov 2026": the day as the pages write one with its year (d MMM y).
  function dayWords(at, lang) {
    var parts = {};
    new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", year: "numeric" })
      .formatToParts(at).forEach(function (p) { parts[p.type] = p.value; });
    return [parts.day, parts.month, parts.year].join(" ");
  }

  // The start the form holds, when it is a time (a datetime-local field: "2026-11-12T07:05").
  function startOf(form) {
    var field = form.querySelector("input[name=started_at]");
    if (!field || !field.value) return null;
    var at = new Date(field.value);
    return isNaN(at.getTime()) ? null : at;
  }

  // Say the warning sign as past (with its headline) or as now.
  function word(panel, form) {
    var now = panel.querySelector(".warning-call-now");
    var past = panel.querySelector(".warning-past");
    if (!now || !past || typeof Intl === "undefined" || !Intl.RelativeTimeFormat) return;
    var hours = Number(panel.getAttribute("data-past-after-hours")) || 24;
    var at = startOf(form);
    var current = new Date();
    var isPast = at !== null && current.getTime() - at.getTime() > hours * 3600000;
    if (isPast) {
      var lang = document.documentElement.lang || "en";
      var headline = (panel.getAttribute("data-past-headline") || "")
        .replace("%(ago)s", ago(daysBetween(at, current), lang, stepsOf(panel)))
        .replace("%(day)s", dayWords(at, lang));
      past.querySelector(".warning-past-headline").textContent = headline;
    }
    now.hidden = isPast;
    past.hidden = !isPast;
    panel.classList.toggle("past", isPast);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-warning]").forEach(function (form) {
      var panel = document.getElementById(form.getAttribute("data-warning"));
      if (!panel) return;
      var boxes = form.querySelectorAll("input[name=red_flags], input[name=long_episode]");
      var update = function () {
        var any = Array.prototype.some.call(boxes, function (b) { return b.checked; });
        var wasHidden = panel.hidden;
        if (any) word(panel, form);
        panel.hidden = !any;
        if (any && wasHidden) panel.scrollIntoView({ block: "nearest" });
      };
      boxes.forEach(function (b) { b.addEventListener("change", update); });
      var start = form.querySelector("input[name=started_at]");
      if (start) {
        start.addEventListener("change", update);
        start.addEventListener("input", update);
      }
      // forms.js sets a pre-filled start to the phone's time on the same event: after it
      window.setTimeout(update, 0);
    });
  });
})();
