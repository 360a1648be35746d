// What the page's forms take from the phone rather than from the server: the phone's clock
// and the size of a chosen file. A static file: the pages allow no inline script. Without
// JavaScript the server's values stand and the server checks everything again.
//
// - The clock: the diary keeps the family's wall-clock times, and the server's clock may be
//   in another time zone (a server on UTC is an hour behind Madrid). A time field the server
//   filled with its own "now" (data-prefill-now) is set to the phone's time, its latest
//   allowed value (data-max-ahead-minutes past now) too, and every form sends the phone's
//   time as it is sent (the hidden field phone_now), which the server checks "in the
//   future" against when it is plausible.
// - A file over the upload limit (data-max-bytes) is refused next to its field, in the
//   page's language (data-too-large), before anything is sent: what was typed stays.
// - The phone's offset from UTC is kept in a cookie (sw_utc_offset) for the pages the
//   server draws: their "today" is the family's.
// - "Go back" on a page that refused a request (data-history-back) goes back in the
//   browser's history, where the form still holds what was typed.
// - A box that sets a field aside (data-sets-aside: the field's id), such as "I do not
//   know when it happened" beside a kept check's time, disables the field while ticked:
//   what the form sends is what the page shows (the server ignores the field then too).
// - A notice that says once what was just done (data-said-once: an episode saved, a check
//   kept) takes the focus as the page opens, without scrolling: screen readers read it,
//   which they do not do for a live region already in the page as it loads.
"use strict";
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  // A time as a datetime-local field writes it: "2026-11-20T19:18" (":05" with seconds).
  function wallClock(d, seconds) {
    var text = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
    return seconds ? text + ":" + pad(d.getSeconds()) : text;
  }

  function setClock(root) {
    var now = new Date();
    root.querySelectorAll("input[data-prefill-now]").forEach(function (input) {
      // Only the server's own pre-fill: never a time the parent typed or the browser restored.
      if (input.value === input.defaultValue) input.value = wallClock(now);
    });
    root.querySelectorAll("input[data-max-ahead-minutes]").forEach(function (input) {
      var ahead = Number(input.getAttribute("data-max-ahead-minutes")) || 0;
      input.max = wallClock(new Date(now.getTime() + ahead * 60000));
    });
  }

  // The phone's offset from UTC in minutes (east positive), for the pages the server
  // draws before any form is sent: the chart's last day, the report periods and the
  // pre-filled times follow the family's day (web/clock.py). Not a secret.
  function keepOffset() {
    var minutes = -new Date().getTimezoneOffset();
    document.cookie = "sw_utc_offset=" + minutes + "; path=/; max-age=31536000; samesite=lax";
  }

  // ------------------------------------------------------------ files over the limit
  function sizeWords(bytes) {
    var lang = document.documentElement.lang || "en";
    var mb = 1024 * 1024;
    if (bytes < mb) return Math.ceil(bytes / 1024).toLocaleString(lang) + " KB";
    return (bytes / mb).toLocaleString(lang, { maximumFractionDigits: 1 }) + " MB";
  }
  // The first chosen file over the field's limit, or null.
  function oversize(input) {
    var limit = Number(input.getAttribute("data-max-bytes"));
    if (!limit || !input.files) return null;
    return Array.prototype.filter.call(input.files, function (f) { return f.size > limit; })[0] || null;
  }
  function showSize(input) {
    var id = (input.id || input.name) + "-size-error";
    var note = document.getElementById(id);
    var file = oversize(input);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
      return x && x !== id;
    });
    if (!file) {
      if (note) note.remove();
      if (input.getAttribute("data-size-invalid")) {
        input.removeAttribute("data-size-invalid");
        input.removeAttribute("aria-invalid");
      }
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
      else input.removeAttribute("aria-describedby");
      return false;
    }
    if (!note) {
      note = document.createElement("p");
      note.id = id;
      note.className = "error";
      note.setAttribute("role", "alert");
      input.parentNode.insertBefore(note, input.nextSibling);
    }
    note.textContent = (input.getAttribute("data-too-large") || "")
      .replace("%(name)s", file.name).replace("%(file_size)s", sizeWords(file.size));
    if (input.getAttribute("aria-invalid") !== "true") input.setAttribute("data-size-invalid", "yes");
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", described.concat([id]).join(" "));
    return true;
  }

  // Before any other handler of the form (the offline queue's among them): a form with a
  // file over the limit is not sent, and a form that is sent carries the phone's time.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.tagName !== "FORM") return;
    var tooLarge = null;
    form.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      if (showSize(input) && !tooLarge) tooLarge = input;
    });
    if (tooLarge) {
      event.preventDefault();
      event.stopPropagation();
      tooLarge.scrollIntoView({ block: "center" });
      tooLarge.focus();
      return;
    }
    var now = wallClock(new Date(), true);
    form.querySelectorAll("input[name=phone_now]").forEach(function (input) { input.value = now; });
  }, true);

  function setAside(box) {
    var field = document.getElementById(box.getAttribute("data-sets-aside"));
    if (field) field.disabled = box.checked;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.matches && input.matches("input[type=file][data-max-bytes]")) showSize(input);
    if (input && input.matches && input.matches("input[data-sets-aside]")) setAside(input);
  });

  // After the page's own move to the address's #fragment (the child's name), which takes
  // the focus back to the page as it scrolls there.
  window.addEventListener("load", function () {
    var said = document.querySelector("[data-said-once]");
    if (!said) return;
    said.setAttribute("tabindex", "-1");
    window.setTimeout(function () { said.focus({ preventScroll: true }); }, 0);
  });

  keepOffset();
  document.addEventListener("DOMContentLoaded", function () {
    setClock(document);
    document.querySelectorAll("input[data-sets-aside]").forEach(setAside);
    document.querySelectorAll("[data-history-back]").forEach(function (box) {
      if (window.history.length < 2) return;
      box.hidden = false;
      box.querySelectorAll("a").forEach(function (link) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          window.history.back();
        });
      });
    });
  });
})();
