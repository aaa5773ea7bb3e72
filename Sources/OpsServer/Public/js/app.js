// PCM-Ops page behaviour. Loaded as a file (CSP forbids inline script); no framework.
(function () {
  "use strict";

  // Buttons with data-confirm ask before their form is sent.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Copy buttons copy the text of the element named by data-copy-target.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy") : null;
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target || !navigator.clipboard) return;
    navigator.clipboard.writeText(target.textContent).then(function () {
      button.textContent = "Copied";
    });
  });

  // The menu button opens the navigation on narrow screens.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Flash messages can be dismissed with a click.
  document.querySelectorAll(".flash").forEach(function (flash) {
    flash.addEventListener("click", function () { flash.classList.add("dismissed"); });
  });
})();
