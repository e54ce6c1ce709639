// Drag an agenda item to reorder the agenda. The new order is posted through htmx, which
// swaps in the agenda the server re-rendered (headings, numbering, timeboxes); the ↑ ↓
// buttons stay for keyboards and for browsers without drag and drop.
//
// Only the agenda itself is ever swapped in. A request redirected elsewhere (a session that
// ended lands on the login page) reloads the page instead; a refusal the server explains
// (400/422) shows its agenda with the reason; any other error (403, 500, no network) leaves
// the agenda alone and says the order was not saved.
(function () {
  "use strict";
  let dragged = null;

  function agenda() {
    return document.getElementById("agenda");
  }

  function pathOf(url) {
    return (url || "").split("?")[0].split("#")[0];
  }

  function showError(text) {
    const root = agenda();
    if (!root) return;
    let note = root.querySelector("[data-testid=agenda-order-error]");
    if (!note) {
      note = document.createElement("p");
      note.className = "error";
      note.setAttribute("role", "alert");
      note.dataset.testid = "agenda-order-error";
      root.prepend(note);
    }
    note.textContent = text;
  }

  function aboutAgenda(event) {
    return event.detail.target && event.detail.target.id === "agenda";
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!aboutAgenda(event)) return;
    const detail = event.detail;
    const asked = pathOf(detail.pathInfo && detail.pathInfo.requestPath);
    const answered = pathOf(detail.xhr && detail.xhr.responseURL ? new URL(detail.xhr.responseURL).pathname : asked);
    if (asked && answered !== asked) {
      detail.shouldSwap = false;
      window.location.reload();
      return;
    }
    const status = detail.xhr.status;
    if (status === 400 || status === 422) {
      detail.shouldSwap = true;
      detail.isError = false;
    } else if (status >= 300) {
      detail.shouldSwap = false;
      showError(
        status === 403
          ? "You may not reorder this agenda: the new order was not saved. Reload to see the saved order."
          : "The new order was not saved (the server answered " + status + "). Reload to see the saved order."
      );
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    if (aboutAgenda(event)) showError("The new order was not saved: no connection. Reload to see the saved order.");
  });

  document.addEventListener("dragstart", function (event) {
    const item = event.target.closest && event.target.closest(".agenda-item[draggable=true]");
    if (!item) return;
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.id);
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    const over = event.target.closest && event.target.closest(".agenda-item");
    if (!over || over === dragged || !agenda().contains(over)) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });

  document.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });

  document.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    const root = agenda();
    const url = root && root.dataset.orderUrl;
    if (!url || !window.htmx) return;
    const ids = Array.from(root.querySelectorAll(".agenda-item[data-id]"), function (el) {
      return el.dataset.id;
    });
    // htmx sends the CSRF token from the body's hx-headers and marks the request as its own.
    window.htmx.ajax("POST", url, { source: root, target: root, swap: "outerHTML", values: { item: ids } });
  });
})();
