// The run page, live: follows /api/v1/runs/{id}/events (Server-Sent Events) from the sequence number
// the page was rendered at, so nothing is missed or shown twice; updates badges, counters, progress,
// elapsed time and ETA in place, and tails the selected target's output (capped in the DOM).
(function () {
  "use strict";
  var root = document.getElementById("run");
  if (!root || !window.EventSource) return;
  var runId = root.dataset.run;
  var seq = parseInt(root.dataset.seq, 10) || 0;
  var selected = root.dataset.selected || "";
  var total = parseInt(root.dataset.targets, 10) || 0;
  var steps = (root.dataset.steps || "").split(",");
  var done = ["succeeded", "failed", "timed_out", "cancelled", "skipped", "interrupted"];
  var runDone = ["succeeded", "failed", "partially_failed", "cancelled"];
  var maxLogChars = 400000;
  // Every execution's status, target by target, from one letter each: rows not shown still count.
  var names = { p: "pending", r: "running", s: "succeeded", f: "failed", t: "timed_out", c: "cancelled",
    k: "skipped", i: "interrupted" };
  var stepCount = Math.max(1, steps.length);
  var state = {};
  (root.dataset.statuses || "").split("").forEach(function (code, index) {
    state[Math.floor(index / stepCount) + "-" + (index % stepCount)] = names[code] || "pending";
  });
  var rows = {};
  document.querySelectorAll("#executions tbody tr").forEach(function (row) {
    rows[row.id.slice(2)] = row;
  });

  function badge(cell, status) {
    cell.textContent = "";
    var span = document.createElement("span");
    span.className = "badge status-" + status;
    span.textContent = status.replace(/_/g, " ");
    cell.appendChild(span);
  }

  var elapsed = document.getElementById("elapsed");
  var started = elapsed && elapsed.dataset.started ? Date.parse(elapsed.dataset.started) : null;
  var finished = elapsed && elapsed.dataset.finished ? Date.parse(elapsed.dataset.finished) : null;

  function format(seconds) {
    if (seconds < 60) return seconds.toFixed(1) + " s";
    return Math.floor(seconds / 60) + " min " + Math.floor(seconds % 60) + " s";
  }

  function targetsDone() {
    var byTarget = {};
    Object.keys(state).forEach(function (key) {
      var target = key.split("-")[0];
      byTarget[target] = (byTarget[target] !== false) && done.indexOf(state[key]) >= 0;
    });
    return Object.keys(byTarget).filter(function (t) { return byTarget[t]; }).length;
  }

  function refresh() {
    var counts = {};
    Object.keys(state).forEach(function (key) { counts[state[key]] = (counts[state[key]] || 0) + 1; });
    ["succeeded", "failed", "timed_out", "running", "pending", "skipped", "cancelled", "interrupted"].forEach(function (s) {
      var node = document.getElementById("count-" + s);
      if (node) node.textContent = counts[s] || 0;
    });
    var finishedTargets = targetsDone();
    var bar = document.getElementById("run-progress");
    if (bar) { bar.value = finishedTargets; bar.textContent = finishedTargets + " of " + total; }
    var label = document.getElementById("targets-done");
    if (label) label.textContent = finishedTargets;
    var running = Object.keys(state).filter(function (k) { return state[k] === "running"; });
    var current = document.getElementById("current-step");
    if (current && steps.length > 1 && running.length) {
      var step = Math.max.apply(null, running.map(function (k) { return parseInt(k.split("-")[1], 10); }));
      current.textContent = (step + 1) + "/" + steps.length + " " + steps[step];
    }
    var eta = document.getElementById("eta");
    if (eta && started && !finished && finishedTargets > 0 && finishedTargets < total) {
      var spent = (Date.now() - started) / 1000;
      eta.textContent = format(spent / finishedTargets * (total - finishedTargets));
    } else if (eta && (finished || finishedTargets === total)) {
      eta.textContent = "—";
    }
  }

  setInterval(function () {
    if (elapsed && started && !finished) elapsed.textContent = format((Date.now() - started) / 1000);
  }, 1000);

  var follow = document.getElementById("follow");
  function append(step, text, stream) {
    var pre = document.getElementById("log-" + step) || document.getElementById("log-live");
    if (!pre) return;
    if (stream === "stderr") {
      var span = document.createElement("span");
      span.className = "stderr-text";
      span.textContent = text;
      pre.appendChild(span);
    } else {
      pre.appendChild(document.createTextNode(text));
    }
    if (pre.textContent.length > maxLogChars) {
      var keep = pre.textContent.slice(-maxLogChars / 2);
      pre.textContent = "[earlier output cut from this view; download the full output]\n" + keep;
    }
    if (follow && follow.checked) pre.scrollTop = pre.scrollHeight;
  }

  /// A finished step's output, exactly as stored (replaces what was streamed).
  function reload(step) {
    fetch("/api/v1/runs/" + encodeURIComponent(runId) + "/executions?target=" + encodeURIComponent(selected),
      { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (executions) {
        executions.forEach(function (execution) {
          var pre = document.getElementById("log-" + execution.step);
          if (pre && execution.step === step) pre.textContent = execution.stdout;
        });
      });
  }

  var source = new EventSource("/api/v1/runs/" + encodeURIComponent(runId) + "/events?after=" + seq);
  source.addEventListener("execution.status", function (event) {
    var data = JSON.parse(event.data);
    var key = data.target_index + "-" + data.step;
    state[key] = data.status;
    if (!started && data.status === "running") started = Date.now();
    var row = rows[key];
    if (row) {
      badge(row.querySelector(".status"), data.status);
      if (data.exit_code !== undefined && data.exit_code !== null) row.querySelector(".exit").textContent = data.exit_code;
      if (data.error) row.querySelector(".error").textContent = data.error + (data.rollback ? " (rollback " + data.rollback + ")" : "");
      row.classList.add("changed");
    }
    if (data.target === selected && done.indexOf(data.status) >= 0) reload(data.step);
    refresh();
  });
  source.addEventListener("output", function (event) {
    var data = JSON.parse(event.data);
    if (data.target === selected) append(data.step, data.text, data.stream);
  });
  source.addEventListener("run.status", function (event) {
    var data = JSON.parse(event.data);
    var holder = document.getElementById("run-status");
    if (holder) badge(holder, data.status);
    root.dataset.status = data.status;
  });
  source.addEventListener("run.finished", function (event) {
    var data = JSON.parse(event.data);
    finished = Date.now();
    if (elapsed && started) elapsed.textContent = format((finished - started) / 1000);
    var cancel = document.getElementById("cancel-run");
    if (cancel) cancel.closest("form").hidden = true;
    if (runDone.indexOf(data.status) >= 0) source.close();
    refresh();
  });
  refresh();
})();
