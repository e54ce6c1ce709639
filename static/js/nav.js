// The top bar's menu on a phone: a "Menu" button opens and closes the sections and account
// links. Without this script the button stays hidden and the links show as a wrapped list,
// so nothing is out of reach either way.
(function () {
  "use strict";
  const button = document.querySelector("[data-menu-toggle]");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  document.documentElement.classList.add("has-menu-toggle");
  button.hidden = false;

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
