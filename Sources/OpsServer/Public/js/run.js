// The run page, live: follows /api/v1/runs/{id}/events (Server-Sent Events) from the sequence number
// the page was rendered at, so nothing is missed or shown twice; updates badges, counters, progress,
// elapsed time and ETA in place, and tails the selected target's output (capped in the DOM).
// Built for big runs: an event costs the same with 10 targets or 10,000 (counts are kept as events
// arrive, the counters are redrawn at most every 250 ms), and other targets' output is not parsed.
// The headline counts targets by outcome, as the server does (TargetOutcome in RunProgress.swift): succeeded
// when every step did; else stopped at its first step that did not succeed ("failed at step 2"); running
// while a step runs or between two steps; pending before any. The step bar counts executions.
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
  var cutNote = "[earlier output cut from this view; download the full output]\n";
  // Every execution's status, target by target, from one letter each: rows not shown still count.
  var names = { p: "pending", r: "running", s: "succeeded", f: "failed", t: "timed_out", c: "cancelled",
    k: "skipped", i: "interrupted" };
  var stepCount = Math.max(1, steps.length);
  var headline = ["succeeded", "failed", "timed_out", "interrupted", "cancelled", "skipped", "running", "pending"];
  var located = ["failed", "timed_out", "interrupted"];
  var state = {};
  var stepsLeft = {};
  var finishedTargets = 0;
  // Per step: its executions by status. Per target: its outcome; by outcome: targets, and where they stopped.
  var byStep = [];
  for (var i = 0; i < stepCount; i += 1) byStep.push({});
  var outcomes = {};
  var targetCounts = {};
  var stops = {};

  /// The outcome of a target from its steps' statuses (steps not seen yet are pending).
  function outcomeOf(target) {
    var allPending = true;
    var stop = -1;
    for (var s = 0; s < stepCount; s += 1) {
      var status = state[target + "-" + s] || "pending";
      if (status === "running") return { status: "running", step: -1 };
      if (status !== "pending") allPending = false;
      if (stop < 0 && status !== "succeeded") stop = s;
    }
    if (allPending) return { status: "pending", step: -1 };
    if (stop < 0) return { status: "succeeded", step: -1 };
    var stopped = state[target + "-" + stop] || "pending";
    if (stopped === "pending") return { status: "running", step: -1 };
    return { status: stopped, step: stopped === "skipped" ? -1 : stop };
  }

  /// Moves a target's outcome in the counts after one of its executions changed.
  function retarget(target) {
    var now = outcomeOf(target);
    var before = outcomes[target];
    if (before && before.status === now.status && before.step === now.step) return;
    if (before) {
      targetCounts[before.status] -= 1;
      if (before.step >= 0) stops[before.status][before.step] -= 1;
    }
    targetCounts[now.status] = (targetCounts[now.status] || 0) + 1;
    if (now.step >= 0) {
      if (!stops[now.status]) stops[now.status] = [];
      stops[now.status][now.step] = (stops[now.status][now.step] || 0) + 1;
    }
    outcomes[target] = now;
  }

  /// Moves one execution to `status`, keeping the counts, running steps and finished targets.
  function track(key, status) {
    var old = state[key];
    if (old === status) return;
    var parts = key.split("-");
    var target = parts[0];
    var step = parseInt(parts[1], 10);
    if (old === undefined) {
      if (stepsLeft[target] === undefined) stepsLeft[target] = stepCount;
    } else if (byStep[step]) {
      byStep[step][old] -= 1;
    }
    state[key] = status;
    if (byStep[step]) byStep[step][status] = (byStep[step][status] || 0) + 1;
    retarget(target);
    var wasDone = old !== undefined && done.indexOf(old) >= 0;
    var isDone = done.indexOf(status) >= 0;
    if (isDone && !wasDone) {
      stepsLeft[target] -= 1;
      if (stepsLeft[target] === 0) finishedTargets += 1;
    } else if (wasDone && !isDone) {
      if (stepsLeft[target] === 0) finishedTargets -= 1;
      stepsLeft[target] += 1;
    }
  }

  (root.dataset.statuses || "").split("").forEach(function (code, index) {
    track(Math.floor(index / stepCount) + "-" + (index % stepCount), names[code] || "pending");
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

  var refreshTimer = null;

  /// Where targets that ended `status` stopped, as RunDTO.stoppedAt says it: " at step 2 (claim)".
  function stoppedAt(status) {
    if (steps.length < 2 || located.indexOf(status) < 0) return "";
    var parts = [];
    (stops[status] || []).forEach(function (count, step) {
      if (count > 0) parts.push({ count: count, text: "step " + (step + 1) + " (" + steps[step] + ")" });
    });
    if (parts.length === 1) return " at " + parts[0].text;
    return parts.length === 0 ? "" : ": " + parts.map(function (p) { return p.count + " at " + p.text; }).join(", ");
  }

  /// Done with a step, whichever way.
  function finishedAt(step) {
    var n = 0;
    done.forEach(function (s) { n += byStep[step][s] || 0; });
    return n;
  }

  /// The step bar, as RunShowView.stepBar renders it.
  function refreshSteps() {
    if (steps.length < 2) return;
    var current = -1;
    for (var s = 0; s < stepCount; s += 1) {
      var through = finishedAt(s);
      var node = document.getElementById("step-finished-" + s);
      if (node) node.textContent = through;
      var bar = document.getElementById("step-progress-" + s);
      if (bar) { bar.value = through; bar.textContent = through + " of " + total; }
      var note = document.getElementById("step-note-" + s);
      if (note) {
        note.textContent = [["running", "running"], ["failed", "failed"], ["timed_out", "timed out"],
          ["interrupted", "interrupted"], ["cancelled", "cancelled"], ["skipped", "skipped"]]
          .filter(function (p) { return byStep[s][p[0]] > 0; })
          .map(function (p) { return " · " + byStep[s][p[0]] + " " + p[1]; }).join("");
      }
      if (byStep[s].running > 0) current = s;
    }
    if (current < 0) {
      for (s = 0; s < stepCount && current < 0; s += 1) if (finishedAt(s) < total) current = s;
    }
    var label = document.getElementById("current-step");
    if (label) {
      label.textContent = current < 0 ? "All " + steps.length + " steps done"
        : "Step " + (current + 1) + " of " + steps.length + ": " + steps[current];
    }
  }

  function refresh() {
    if (refreshTimer !== null) { clearTimeout(refreshTimer); refreshTimer = null; }
    headline.forEach(function (s) {
      var count = targetCounts[s] || 0;
      var node = document.getElementById("count-" + s);
      if (node) node.textContent = count;
      var part = document.getElementById("target-" + s);
      if (part) part.hidden = count === 0;
      var where = document.getElementById("where-" + s);
      if (where) where.textContent = stoppedAt(s);
    });
    refreshSteps();
    if (failedBox && failedBox.checked) filterAll();
    var bar = document.getElementById("run-progress");
    if (bar) { bar.value = finishedTargets; bar.textContent = finishedTargets + " of " + total; }
    var label = document.getElementById("targets-done");
    if (label) label.textContent = finishedTargets;
    var eta = document.getElementById("eta");
    if (eta && started && !finished && finishedTargets > 0 && finishedTargets < total) {
      var spent = (Date.now() - started) / 1000;
      eta.textContent = format(spent / finishedTargets * (total - finishedTargets));
    } else if (eta && (finished || finishedTargets === total)) {
      eta.textContent = "—";
    }
  }

  /// A <time> tag as TimeTag renders it (app.js keeps its relative text current).
  function timeTag(iso) {
    var node = document.createElement("time");
    node.className = "rel";
    node.setAttribute("datetime", iso);
    var date = new Date(iso);
    var tools = window.PCMOps || {};
    node.textContent = tools.relativeText ? tools.relativeText(date, Date.now()) : iso;
    node.title = tools.localText ? tools.localText(date) : iso;
    node.dataset.local = "1";
    return node;
  }

  function setTime(cell, iso) {
    if (!cell || !iso) return;
    cell.textContent = "";
    cell.appendChild(timeTag(iso));
  }

  /// The run has ended: its finish time, "took", no ETA and no "current step".
  function showFinished(iso) {
    var part = document.getElementById("run-finished");
    if (part) {
      var shown = part.querySelector("time");
      if (shown) shown.remove();
      part.appendChild(timeTag(iso));
      part.hidden = false;
    }
    var label = document.getElementById("elapsed-label");
    if (label) label.textContent = " · took ";
    var etaPart = document.getElementById("eta-part");
    if (etaPart) etaPart.hidden = true;
    var current = document.getElementById("current-step");
    if (current) current.hidden = true;
  }

  /// Keeps a row's Started, Finished and Time cells as the execution moves.
  function timeRow(row, status, at) {
    if (!at) return;
    var timeCell = row.querySelector(".time");
    if (status === "running") {
      setTime(row.querySelector(".started"), at);
      var finishedCell = row.querySelector(".finished");
      if (finishedCell) finishedCell.textContent = "";
      if (timeCell) { timeCell.dataset.started = at; timeCell.textContent = "running"; }
    } else if (done.indexOf(status) >= 0) {
      setTime(row.querySelector(".finished"), at);
      var from = timeCell && timeCell.dataset.started ? Date.parse(timeCell.dataset.started) : NaN;
      if (timeCell) timeCell.textContent = isNaN(from) ? "" : format(Math.max(0, Date.parse(at) - from) / 1000);
    }
  }

  /// Redraws soon, once for however many events arrive meanwhile.
  function refreshSoon() {
    if (refreshTimer === null) refreshTimer = setTimeout(refresh, 250);
  }

  setInterval(function () {
    if (elapsed && started && !finished) elapsed.textContent = format((Date.now() - started) / 1000);
  }, 1000);

  var follow = document.getElementById("follow");
  var logLength = {};
  var logChunk = {};
  var scrollPending = null;

  /// Shows `text` in `pre`, cut to its last part when it is too long for the page.
  function show(pre, text) {
    if (text.length > maxLogChars) text = cutNote + text.slice(-maxLogChars / 2);
    pre.textContent = text;
    logLength[pre.id] = text.length;
    logChunk[pre.id] = null;
  }

  /// Keeps the followed log at its end, once per frame however many chunks arrive.
  function scrollSoon(pre) {
    if (!follow || !follow.checked) return;
    if (scrollPending === null) {
      requestAnimationFrame(function () {
        scrollPending.scrollTop = scrollPending.scrollHeight;
        scrollPending = null;
      });
    }
    scrollPending = pre;
  }

  // A long stored output, as the server rendered it, is cut the same way.
  document.querySelectorAll("#output pre.log[id]").forEach(function (pre) {
    if (pre.textContent.length > maxLogChars) show(pre, pre.textContent);
  });

  function append(step, text, stream) {
    var pre = document.getElementById("log-" + step) || document.getElementById("log-live");
    if (!pre) return;
    if (logLength[pre.id] === undefined) logLength[pre.id] = pre.textContent.length;
    // Output goes in blocks of a few kilobytes ending at a line end: the browser then lays out only
    // the newest block, not the whole log, as output arrives.
    var chunk = logChunk[pre.id];
    if (!chunk || (chunk.size > 4096 && chunk.endsLine)) {
      chunk = logChunk[pre.id] = { node: document.createElement("div"), size: 0, endsLine: true };
      pre.appendChild(chunk.node);
    }
    if (stream === "stderr") {
      var span = document.createElement("span");
      span.className = "stderr-text";
      span.textContent = text;
      chunk.node.appendChild(span);
    } else {
      chunk.node.appendChild(document.createTextNode(text));
    }
    chunk.size += text.length;
    chunk.endsLine = text.charAt(text.length - 1) === "\n";
    logLength[pre.id] += text.length;
    if (logLength[pre.id] > maxLogChars) show(pre, pre.textContent);
    scrollSoon(pre);
  }

  /// A finished step's output as stored (replaces what was streamed). Events are published before
  /// they are saved, so a step the server has not saved as finished yet is asked for again.
  function reload(step, attempt) {
    attempt = attempt || 0;
    fetch("/api/v1/runs/" + encodeURIComponent(runId) + "/executions?target=" + encodeURIComponent(selected),
      { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (executions) {
        executions.forEach(function (execution) {
          var pre = document.getElementById("log-" + execution.step);
          if (!pre || execution.step !== step) return;
          if (done.indexOf(execution.status) >= 0) {
            show(pre, execution.stdout);
            scrollSoon(pre);
          } else if (attempt < 10) {
            setTimeout(function () { reload(step, attempt + 1); }, 500);
          }
        });
      });
  }

  // The "All targets" view: every target's lines, prefixed, in arrival order, continuing the lines the server
  // drew (an open line, not ended yet, goes on where it stopped); a failed-only filter and a search, live.
  var view = root.dataset.view || "target";
  var allLog = document.getElementById("all-log");
  var keepLines = allLog ? parseInt(allLog.dataset.keep, 10) || 2000 : 0;
  var multiStep = allLog ? (parseInt(allLog.dataset.steps, 10) || 1) > 1 : false;
  var openLines = {};
  var failedBox = document.getElementById("all-failed");
  var searchBox = document.getElementById("all-search");
  var query = searchBox ? searchBox.value.toLowerCase() : "";
  // Lines the server left out (filtered) cannot come back by unticking: then the form is sent instead.
  var serverFiltered = (failedBox && failedBox.checked) || query !== "";

  function textNode(line) {
    if (!line.lastChild || line.lastChild.nodeType !== 3) line.appendChild(document.createTextNode(""));
    return line.lastChild;
  }

  function filterLine(line) {
    var hide = false;
    if (failedBox && failedBox.checked) {
      var outcome = outcomes[line.dataset.t];
      hide = !outcome || located.indexOf(outcome.status) < 0;
    }
    if (!hide && query) hide = line.textContent.toLowerCase().indexOf(query) < 0;
    line.hidden = hide;
  }

  function filterAll() {
    if (!allLog) return;
    for (var line = allLog.firstElementChild; line; line = line.nextElementSibling) filterLine(line);
  }

  function prefixOf(data) {
    return data.target + (multiStep ? " [" + (data.step + 1) + "]" : "") + (data.stream === "stderr" ? " |! " : " | ");
  }

  function appendAll(data) {
    var key = data.target_index + "-" + data.step + "-" + (data.stream === "stderr" ? "e" : "o");
    var parts = data.text.split("\n");
    for (var i = 0; i < parts.length; i += 1) {
      var closes = i < parts.length - 1;
      if (!closes && parts[i] === "") break;
      var line = openLines[key];
      if (!line) {
        line = document.createElement("div");
        line.className = data.stream === "stderr" ? "line stderr-text" : "line";
        line.dataset.t = data.target_index;
        var who = document.createElement("span");
        who.className = "who";
        who.textContent = prefixOf(data);
        line.appendChild(who);
        allLog.appendChild(line);
      }
      textNode(line).nodeValue += parts[i];
      if (closes) delete openLines[key]; else openLines[key] = line;
      filterLine(line);
    }
    while (allLog.childElementCount > keepLines) {
      var first = allLog.firstElementChild;
      if (first.dataset.open && openLines[first.dataset.open] === first) delete openLines[first.dataset.open];
      allLog.removeChild(first);
    }
    scrollSoon(allLog);
  }

  if (allLog) {
    allLog.querySelectorAll("div.line[data-open]").forEach(function (line) { openLines[line.dataset.open] = line; });
    if (failedBox) {
      failedBox.addEventListener("change", function () {
        if (serverFiltered) failedBox.form.submit(); else filterAll();
      });
    }
    if (searchBox) {
      searchBox.addEventListener("input", function () {
        query = searchBox.value.toLowerCase();
        filterAll();
      });
    }
  }

  // Only the selected target's output is sent (all of it in the all-targets view); every status event comes.
  var source = new EventSource("/api/v1/runs/" + encodeURIComponent(runId) + "/events?after=" + seq +
    (selected && view !== "all" ? "&output=" + encodeURIComponent(selected) : ""));
  source.addEventListener("execution.status", function (event) {
    var data = JSON.parse(event.data);
    var key = data.target_index + "-" + data.step;
    track(key, data.status);
    if (!started && data.status === "running") started = Date.now();
    var row = rows[key];
    if (row) {
      badge(row.querySelector(".status"), data.status);
      if (data.exit_code !== undefined && data.exit_code !== null) row.querySelector(".exit").textContent = data.exit_code;
      if (data.error) row.querySelector(".error").textContent = data.error + (data.rollback ? " (rollback " + data.rollback + ")" : "");
      timeRow(row, data.status, data.at);
      row.classList.add("changed");
    }
    if (data.target === selected && done.indexOf(data.status) >= 0) reload(data.step);
    refreshSoon();
  });
  source.addEventListener("output", function (event) {
    if (allLog) { appendAll(JSON.parse(event.data)); return; }
    if (event.data.indexOf(selected) < 0) return; // another target's: names need no JSON escaping
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
    finished = data.finished_at ? Date.parse(data.finished_at) : Date.now();
    if (elapsed && started) elapsed.textContent = format((finished - started) / 1000);
    showFinished(data.finished_at || new Date(finished).toISOString());
    var cancel = document.getElementById("cancel-run");
    if (cancel) cancel.closest("form").hidden = true;
    if (runDone.indexOf(data.status) >= 0) source.close();
    refresh();
  });
  refresh();
})();
