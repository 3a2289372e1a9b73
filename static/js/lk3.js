// Small behaviours that need script. Everything works without it.
(function () {
  "use strict";
  // A submit button disables itself once clicked, so a double click on a
  // slow phone link does not send the form twice (the server also checks).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-allow-resubmit")) return;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
  // Close the menu when the page is left via a menu link (back-button cache).
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
    });
  });
})();
