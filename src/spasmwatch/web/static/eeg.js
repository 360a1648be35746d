// The EEG trace viewer: the arrow keys (and Page Up/Down) follow the previous/next page
// links, and a changed setting shows the page again. A static file: the pages allow no
// inline script. Without script the links and the "Show" button do the same.
"use strict";
(function () {
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target && target.closest && target.closest("input, select, textarea")) return;
    var id = { ArrowLeft: "eeg-prev", PageUp: "eeg-prev", ArrowRight: "eeg-next", PageDown: "eeg-next" }[event.key];
    var link = id ? document.getElementById(id) : null;
    if (!link) return;
    event.preventDefault();
    window.location.assign(link.href);
  });
  var form = document.querySelector("form.eeg-controls");
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target && event.target.tagName === "SELECT") form.requestSubmit();
    });
  }
})();
