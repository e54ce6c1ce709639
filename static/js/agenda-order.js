// Drag an agenda item to reorder the agenda. The new order is posted to the server, which
// answers with the agenda re-rendered (headings, numbering, timeboxes); the ↑ ↓ buttons stay
// for keyboards and for browsers without drag and drop.
(function () {
  "use strict";
  let dragged = null;

  function agenda() {
    return document.getElementById("agenda");
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

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
    if (!url) return;
    const body = new URLSearchParams();
    root.querySelectorAll(".agenda-item[data-id]").forEach(function (el) {
      body.append("item", el.dataset.id);
    });
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true", "HX-Target": "agenda" },
    })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        const current = agenda();
        current.outerHTML = html;
        if (window.htmx) window.htmx.process(agenda());
      });
  });
})();
