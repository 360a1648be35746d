// The share panel's copy button: copies the new link's address. A static file: the pages
// allow no inline script. navigator.clipboard needs a secure origin (https or localhost);
// elsewhere the text is selected and copied the older way, or left selected to copy by hand.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!source) return;
    var say = function (text) { if (status) status.textContent = text; };
    var selectSource = function () {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    };
    var older = function () {
      selectSource();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      say(button.getAttribute(copied ? "data-copied" : "data-copy-failed"));
    };
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          selectSource();
          say(button.getAttribute("data-copied"));
        }, older);
      } else {
        older();
      }
    });
  });
});
