// Warning signs first: ticking any warning sign (or "it lasted 5 minutes or more") shows the
// emergency answer at once, before the form is sent. A static file: the pages allow no
// inline script. Without JavaScript the answer comes when the form is sent.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-warning]").forEach(function (form) {
    var panel = document.getElementById(form.getAttribute("data-warning"));
    if (!panel) return;
    var boxes = form.querySelectorAll("input[name=red_flags], input[name=long_episode]");
    var update = function () {
      var any = Array.prototype.some.call(boxes, function (b) { return b.checked; });
      var wasHidden = panel.hidden;
      panel.hidden = !any;
      if (any && wasHidden) panel.scrollIntoView({ block: "nearest" });
    };
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
  });
});
