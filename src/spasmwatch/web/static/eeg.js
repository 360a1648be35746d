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
  // A frame narrower than the drawing's legible width (eeg.css's min-width; a phone) shows
  // the whole page (10 s by default) compressed sideways: the drawing keeps the height it has
  // at that width (the channels their spacing) and fits its width to the frame, rather than
  // showing the first 4 s and the rest to scroll to. A wider frame is unchanged.
  var frame = document.querySelector(".eeg-scroll");
  var svg = frame && frame.querySelector("svg");
  if (svg && svg.viewBox && window.ResizeObserver) {
    var LEGIBLE_PX = 760;
    var fit = function () {
      var box = svg.viewBox.baseVal;
      var narrow = !!box && box.width > 0 && frame.clientWidth < LEGIBLE_PX;
      if (narrow) {
        svg.setAttribute("preserveAspectRatio", "none");
        frame.style.setProperty("--eeg-height", (box.height * LEGIBLE_PX / box.width).toFixed(1) + "px");
      } else {
        svg.removeAttribute("preserveAspectRatio");
      }
      frame.classList.toggle("compressed", narrow);
    };
    new ResizeObserver(fit).observe(frame);
  }
  var form = document.querySelector("form.eeg-controls");
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target && event.target.tagName === "SELECT") form.requestSubmit();
    });
  }
})();
