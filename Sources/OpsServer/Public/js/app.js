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

  // The user menu (a <details>) closes on a click elsewhere and on Escape.
  var menu = document.querySelector(".user-menu");
  if (menu) {
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  // A "select all" checkbox (data-select-all="NAME") ticks every checkbox named NAME in its form, and
  // [data-count-for="NAME"] says how many are ticked.
  function countSelected(form, name) {
    var boxes = form.querySelectorAll('input[type=checkbox][name="' + name + '"]');
    var ticked = 0;
    boxes.forEach(function (box) { if (box.checked) ticked += 1; });
    form.querySelectorAll('[data-count-for="' + name + '"]').forEach(function (label) {
      label.textContent = ticked === 0 ? "" : ticked + " selected";
    });
    form.querySelectorAll('input[data-select-all="' + name + '"]').forEach(function (all) {
      all.checked = boxes.length > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "checkbox" || !input.form) return;
    var name = input.getAttribute("data-select-all");
    if (name) {
      input.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
        if (!box.disabled) box.checked = input.checked;
      });
    } else {
      name = input.name;
    }
    countSelected(input.form, name);
  });

  // Flash messages can be dismissed with a click.
  document.querySelectorAll(".flash").forEach(function (flash) {
    flash.addEventListener("click", function () { flash.classList.add("dismissed"); });
  });

  // Times: <time class="rel" datetime="…"> shows "3 min ago" (kept current) and the exact local time on hover.
  // The words match TimeTag.relative on the server.
  function relativeText(date, now) {
    var seconds = (now - date) / 1000;
    var ahead = seconds < 0;
    var span = Math.abs(seconds);
    function phrase(text) { return ahead ? "in " + text : text + " ago"; }
    if (span < 10) return "just now";
    if (span < 60) return phrase(Math.floor(span) + " s");
    if (span < 3600) return phrase(Math.floor(span / 60) + " min");
    if (span < 86400) return phrase(Math.floor(span / 3600) + " h");
    if (span < 172800) return ahead ? "tomorrow" : "yesterday";
    if (span < 30 * 86400) return phrase(Math.floor(span / 86400) + " days");
    return date.toISOString().slice(0, 10);
  }
  // One formatter for every time on the page: toLocaleString builds a new one per call, which made a run page with
  // hundreds of rows spend a long task on its times.
  var localFormat = window.Intl && Intl.DateTimeFormat ? new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
    timeZoneName: "short" }) : null;
  function localText(date) {
    return localFormat ? localFormat.format(date) : date.toString();
  }
  function refreshTimes() {
    var now = Date.now();
    document.querySelectorAll("time.rel[datetime]").forEach(function (node) {
      var date = new Date(node.getAttribute("datetime"));
      if (isNaN(date.getTime())) return;
      var text = relativeText(date, now);
      if (node.textContent !== text) node.textContent = text;
      if (!node.dataset.local) {
        node.dataset.local = "1";
        node.title = localText(date);
      }
    });
  }
  window.PCMOps = window.PCMOps || {};
  window.PCMOps.refreshTimes = refreshTimes;
  window.PCMOps.relativeText = relativeText;
  window.PCMOps.localText = localText;
  refreshTimes();
  setInterval(refreshTimes, 15000);
})();
