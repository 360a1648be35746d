// In-page playback: a detected event's time (a button next to the video's findings) plays
// the video from just before that moment. A static file: the pages allow no inline script.
// Listening on the document also covers findings htmx swaps in after the page loaded.
"use strict";
(function () {
  // Seconds shown before the event's start, so that its onset is seen.
  var PREROLL_S = 1;
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.seek") : null;
    if (!button) return;
    var video = document.getElementById(button.getAttribute("data-video"));
    if (!video) return;
    var at = Math.max(0, parseFloat(button.getAttribute("data-t")) - PREROLL_S);
    var go = function () {
      video.currentTime = at;
      var playing = video.play();
      if (playing && playing.catch) playing.catch(function () { /* paused by the browser */ });
    };
    if (video.readyState >= 1) {
      go();
    } else {
      video.addEventListener("loadedmetadata", go, { once: true });
      video.load();
    }
    video.scrollIntoView({ block: "nearest", behavior: "smooth" });
  });
})();
