// Bars whose length is data (a share, a target, progress) take it from data attributes:
// the Content-Security-Policy refuses style="" attributes, not styles set from a script.
(function () {
  "use strict";
  function size(root) {
    root.querySelectorAll("[data-bar-width]").forEach(function (el) {
      el.style.width = el.dataset.barWidth + "%";
    });
    root.querySelectorAll("[data-bar-left]").forEach(function (el) {
      el.style.left = el.dataset.barLeft + "%";
    });
  }
  // htmx.onLoad runs for the page and again for every swapped-in fragment.
  htmx.onLoad(size);
})();
