// A form posts once: its submit buttons are disabled while it is on its way, so a double
// click or a second Enter sends one request. Plain forms stay disabled until the next page
// loads (and come back enabled if the browser restores this page from its cache); htmx
// requests re-enable what they disabled when the answer arrives, swapped in or not.
(function () {
  "use strict";
  const SUBMITS = "button[type=submit], button:not([type]), input[type=submit]";
  const MARK = "submitOnceDisabled";

  function submitButtons(form) {
    const inside = Array.from(form.querySelectorAll(SUBMITS));
    const outside = form.id ? Array.from(document.querySelectorAll(`[form="${form.id}"]`)) : [];
    return inside.concat(outside.filter((el) => el.matches(SUBMITS)));
  }

  function disable(elements) {
    elements.forEach(function (el) {
      if (!el.disabled) {
        el.disabled = true;
        el.dataset[MARK] = "true";
      }
    });
  }

  // Re-enable only what this script disabled: a button the page rendered disabled (the
  // first item's "move up") stays disabled.
  function enable(elements) {
    elements.forEach(function (el) {
      if (el.dataset[MARK]) {
        el.disabled = false;
        delete el.dataset[MARK];
      }
    });
  }

  // Plain forms. htmx cancels the browser's submit of the forms it posts itself, and those
  // are handled below.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    // A search or a download (GET) may leave the page where it is: only posts are guarded.
    if (form.method.toLowerCase() !== "post") return;
    if (form.dataset.submitting) {
      event.preventDefault(); // already on its way
      return;
    }
    form.dataset.submitting = "true";
    // After this event: the browser reads the clicked button's name and value only while
    // it is still enabled.
    window.setTimeout(function () {
      disable(submitButtons(form));
    }, 0);
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-submitting]").forEach(function (form) {
        delete form.dataset.submitting;
        enable(submitButtons(form));
      });
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    if (elt instanceof HTMLFormElement) {
      disable(submitButtons(elt));
    } else if (elt && elt.matches && elt.matches("button, input[type=submit]")) {
      disable([elt]);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const elt = event.detail.elt;
    if (elt instanceof HTMLFormElement) {
      enable(submitButtons(elt));
    } else if (elt instanceof HTMLElement) {
      enable([elt]);
    }
  });
})();
