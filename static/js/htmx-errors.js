// An htmx request the server refuses (403), cannot find (404) or fails (500) swaps nothing
// (base.html's responseHandling), so without this the click would seem to do nothing. Show
// the error page's reason at the top of the page instead, where the messages appear.
(function () {
  "use strict";
  const FALLBACK = {
    403: "You cannot do this here.",
    404: "What this acted on is gone or not yours to see; reload the page.",
  };

  function reasonOf(xhr) {
    const html = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    const reason = html.querySelector("[data-testid=error-reason]");
    if (reason && reason.textContent.trim()) return reason.textContent.trim();
    return FALLBACK[xhr.status] || "Something went wrong on our side; nothing was saved. Please try again.";
  }

  document.addEventListener("htmx:responseError", function (event) {
    const main = document.querySelector("main");
    if (!main) return;
    let box = document.getElementById("request-error");
    if (!box) {
      box = document.createElement("p");
      box.id = "request-error";
      box.className = "request-error";
      box.setAttribute("role", "alert");
      box.dataset.testid = "request-error";
      main.prepend(box);
    }
    box.textContent = reasonOf(event.detail.xhr);
    box.scrollIntoView({ block: "nearest" });
  });
})();
