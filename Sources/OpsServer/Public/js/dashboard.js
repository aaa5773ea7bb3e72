// Dashboard: while runs are queued or running, refresh "Running now" and "Recent failures" in place every few
// seconds (no page reload, no flicker), and stop once nothing is active. Loaded as a file (CSP: no inline script).
(function () {
  "use strict";

  var INTERVAL = 5000;
  var timer = null;

  function current() { return document.getElementById("dashboard-live"); }

  function active(section) { return section && section.getAttribute("data-active") === "true"; }

  function schedule() {
    if (timer !== null || !active(current())) return;
    timer = window.setTimeout(refresh, INTERVAL);
  }

  function refresh() {
    timer = null;
    var section = current();
    if (!section || document.hidden) return;
    var source = section.getAttribute("data-source");
    fetch(source, { credentials: "same-origin", headers: { "Accept": "text/html" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString(html, "text/html");
        var fresh = parsed.getElementById("dashboard-live");
        if (!fresh) return;
        section.replaceWith(document.importNode(fresh, true));
        schedule();
      })
      .catch(function () {
        // Signed out or the server is gone: leave the page as it is; a reload shows the truth.
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) schedule();
  });
  schedule();
})();
