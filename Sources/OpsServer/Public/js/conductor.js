// The Conductor page: each launched run's card follows /api/v1/runs/{id}/events (Server-Sent Events, the run
// page's stream, replayed from the start) and shows the step bar, per-target counts, the current target, elapsed
// time and ETA, and the tail of the log. Loaded as a file (CSP forbids inline script).
(function () {
  "use strict";
  var done = ["succeeded", "failed", "timed_out", "cancelled", "skipped", "interrupted"];
  var bad = ["failed", "timed_out", "cancelled", "interrupted"];
  var runDone = ["succeeded", "failed", "partially_failed", "cancelled"];
  var tailChars = 4000;

  function format(seconds) {
    if (seconds < 60) return seconds.toFixed(1) + " s";
    return Math.floor(seconds / 60) + " min " + Math.floor(seconds % 60) + " s";
  }

  function follow(card) {
    if (!window.EventSource) return;
    var runId = card.dataset.run;
    var total = parseInt(card.dataset.targets, 10) || 0;
    var stepCount = parseInt(card.dataset.steps, 10) || 1;
    var state = {};       // "target-step" -> status
    var outcome = {};     // target index -> running | succeeded | failed
    // The server's times when the page was drawn (a run that ended before shows its real duration).
    var started = card.dataset.started ? Date.parse(card.dataset.started) : null;
    var finished = card.dataset.finished ? Date.parse(card.dataset.finished) : null;
    var current = "—";
    var log = card.querySelector(".live-log");
    var q = function (name) { return card.querySelector("." + name); };

    function targetOutcome(target) {
      var all = true;
      for (var s = 0; s < stepCount; s += 1) {
        var status = state[target + "-" + s] || "pending";
        if (status === "running") return "running";
        if (bad.indexOf(status) >= 0) return "failed";
        if (status !== "succeeded") all = false;
      }
      if (all) return "succeeded";
      for (s = 0; s < stepCount; s += 1) if (state[target + "-" + s]) return "running";
      return "pending";
    }

    function refresh() {
      var counts = { succeeded: 0, failed: 0, running: 0, pending: 0 };
      Object.keys(outcome).forEach(function (t) { counts[outcome[t]] += 1; });
      var finishedTargets = counts.succeeded + counts.failed;
      q("live-done").textContent = finishedTargets;
      q("live-succeeded").textContent = counts.succeeded;
      q("live-failed").textContent = counts.failed;
      q("live-running").textContent = counts.running;
      q("live-current").textContent = current;
      var bar = q("live-progress");
      bar.value = finishedTargets;
      bar.textContent = finishedTargets + " of " + total;
      var step = 0;
      for (var s = 0; s < stepCount; s += 1) {
        var through = 0;
        Object.keys(state).forEach(function (key) {
          if (key.split("-")[1] === String(s) && done.indexOf(state[key]) >= 0) through += 1;
        });
        if (through > 0 || s === 0) step = s;
        if (through < total) break;
      }
      q("live-step").textContent = Math.min(step + 1, stepCount);
      var now = finished || Date.now();
      if (started) q("live-elapsed").textContent = format((now - started) / 1000);
      if (finished || finishedTargets === total) {
        q("live-eta").textContent = "—";
      } else if (started && finishedTargets > 0) {
        var spent = (Date.now() - started) / 1000;
        q("live-eta").textContent = format(spent / finishedTargets * (total - finishedTargets));
      }
    }

    function badge(status) {
      var holder = q("run-live-status");
      holder.textContent = "";
      var span = document.createElement("span");
      span.className = "badge status-" + status;
      span.textContent = status.replace(/_/g, " ");
      holder.appendChild(span);
    }

    var source = new EventSource("/api/v1/runs/" + encodeURIComponent(runId) + "/events?after=0");
    source.addEventListener("execution.status", function (event) {
      var data = JSON.parse(event.data);
      state[data.target_index + "-" + data.step] = data.status;
      outcome[data.target_index] = targetOutcome(data.target_index);
      if (data.status === "running") {
        if (!started) started = Date.now();
        current = data.target || current;
      }
      refresh();
    });
    source.addEventListener("output", function (event) {
      var data = JSON.parse(event.data);
      var text = log.textContent + "[" + data.target + "] " + data.text;
      if (text.length > tailChars) text = text.slice(-tailChars);
      log.textContent = text;
      log.scrollTop = log.scrollHeight;
    });
    source.addEventListener("run.status", function (event) {
      badge(JSON.parse(event.data).status);
    });
    source.addEventListener("run.finished", function (event) {
      var data = JSON.parse(event.data);
      if (!finished) finished = Date.now();
      if (!started) started = finished;
      badge(data.status);
      card.dataset.status = data.status;
      current = "—";
      if (runDone.indexOf(data.status) >= 0) source.close();
      refresh();
    });
    setInterval(function () { if (started && !finished) refresh(); }, 1000);
  }

  document.querySelectorAll(".run-live[data-run]").forEach(follow);
  var messages = document.getElementById("messages");
  if (messages && messages.lastElementChild) messages.lastElementChild.scrollIntoView({ block: "nearest" });
})();
