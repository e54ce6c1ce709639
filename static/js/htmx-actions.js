// Small page actions as data attributes, in place of hx-on="…" handlers: those are code in
// HTML, which the Content-Security-Policy (no 'unsafe-eval') refuses to run.
//   data-removes-row            a click removes the table row it sits in (Cancel a row form);
//   data-before-request-removes an id removed before the element's htmx request is sent;
//   data-reset-on-success       the form is cleared once its htmx request succeeds.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-removes-row]");
    if (button) button.closest("tr").remove();
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    const id = event.detail.elt.dataset.beforeRequestRemoves;
    const stale = id && document.getElementById(id);
    if (stale) stale.remove();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (event.detail.successful && form.matches("form[data-reset-on-success]")) form.reset();
  });
})();
