// The runs list: while a listed run is active, the table (and its pager) is fetched again every few seconds and
// swapped in place, so statuses and counts move without a reload; it stops once no listed run is active.
(function () {
  "use strict";
  var holder = document.getElementById("run-list");
  if (!holder || !window.fetch || !window.DOMParser) return;
  var delay = 4000;

  function schedule() {
    if (holder.dataset.active === "true") setTimeout(tick, delay);
  }

  function tick() {
    if (document.hidden) { schedule(); return; }
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (!text) return;
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("run-list");
        if (!fresh) return;
        fresh = document.importNode(fresh, true);
        holder.replaceWith(fresh);
        holder = fresh;
        if (window.PCMOps && window.PCMOps.refreshTimes) window.PCMOps.refreshTimes();
      })
      .catch(function () { /* the next tick tries again */ })
      .then(schedule);
  }

  schedule();
})();
