// The run form of a tool page: filter the target list (search, group, OS, transport), select all
// shown, and keep a count of what is selected. Without it, every target is listed and can be ticked.
(function () {
  "use strict";
  var form = document.getElementById("run-form");
  if (!form) return;
  var rows = Array.prototype.slice.call(form.querySelectorAll("tr.pick-row"));
  var search = document.getElementById("pick-q");
  var group = document.getElementById("pick-group");
  var os = document.getElementById("pick-os");
  var transport = document.getElementById("pick-transport");
  var count = document.getElementById("pick-count");

  function visible(row) {
    var text = (search.value || "").toLowerCase().trim();
    if (text && row.dataset.text.indexOf(text) < 0) return false;
    if (group.value && (row.dataset.groups || "").split(",").indexOf(group.value) < 0) return false;
    if (os.value && row.dataset.os !== os.value) return false;
    if (transport.value && row.dataset.transport !== transport.value) return false;
    return true;
  }

  function update() {
    var shown = 0;
    rows.forEach(function (row) {
      var show = visible(row);
      row.hidden = !show;
      if (show) shown += 1;
    });
    var selected = form.querySelectorAll("input[name='targets[]']:checked").length;
    count.textContent = selected + " selected · " + shown + " shown of " + rows.length;
  }

  [search, group, os, transport].forEach(function (input) {
    input.addEventListener("input", update);
    input.addEventListener("change", update);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "targets[]") update();
  });
  document.getElementById("pick-all").addEventListener("click", function () {
    rows.forEach(function (row) {
      var box = row.querySelector("input[type=checkbox]");
      if (!row.hidden && box && !box.disabled) box.checked = true;
    });
    update();
  });
  document.getElementById("pick-none").addEventListener("click", function () {
    form.querySelectorAll("input[name='targets[]']").forEach(function (box) { box.checked = false; });
    update();
  });
  update();
})();

// Only the chosen action's (or workflow's) parameters are shown and sent; required ones are marked
// required for the browser's own validation.
(function () {
  "use strict";
  var form = document.getElementById("run-form");
  if (!form) return;
  function chosen() {
    var radio = form.querySelector("input[name=run]:checked");
    return radio ? radio.value : "";
  }
  function update() {
    var choice = chosen();
    form.querySelectorAll(".param").forEach(function (param) {
      var relevant = (param.dataset.for || "").split(" ").indexOf(choice) >= 0;
      param.hidden = !relevant;
      param.querySelectorAll("input, select").forEach(function (input) {
        input.disabled = !relevant;
        if (input.tagName === "INPUT") input.required = relevant && param.dataset.required === "true";
      });
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "run") update();
  });
  update();
})();

// A live count of the targets the run would reach, before Preview: ticked targets, members of ticked groups and
// targets whose tags match the selector (key, key=value, key!=value, comma-separated, all must hold), once each.
(function () {
  "use strict";
  var form = document.getElementById("run-form");
  var out = document.getElementById("match-count");
  if (!form || !out) return;
  var rows = Array.prototype.slice.call(form.querySelectorAll("tr.pick-row"));
  var selectorInput = document.getElementById("run-selector");
  var term = /^\s*([A-Za-z0-9_.-]+)\s*(?:(!?=)\s*(.*?)\s*)?$/;

  function tagsOf(row) {
    var tags = {};
    (row.dataset.tags || "").split("\n").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at > 0) tags[pair.slice(0, at)] = pair.slice(at + 1);
    });
    return tags;
  }

  /// The selector as a test of a row's tags; null when it is empty, false when it cannot be read.
  function parseSelector(text) {
    if (!text.trim()) return null;
    var tests = [];
    var parts = text.split(",");
    for (var i = 0; i < parts.length; i += 1) {
      var match = term.exec(parts[i]);
      if (!match) return false;
      tests.push({ key: match[1], op: match[2] || "", value: match[3] || "" });
    }
    return function (tags) {
      return tests.every(function (t) {
        var has = Object.prototype.hasOwnProperty.call(tags, t.key);
        if (t.op === "") return has;
        if (t.op === "=") return has && tags[t.key] === t.value;
        return !has || tags[t.key] !== t.value;
      });
    };
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function update() {
    var groups = Array.prototype.slice.call(form.querySelectorAll("input[name='groups[]']:checked"))
      .map(function (box) { return box.value; });
    var selector = parseSelector(selectorInput ? selectorInput.value : "");
    var reached = 0;
    var unfit = 0;
    rows.forEach(function (row) {
      var box = row.querySelector("input[name='targets[]']");
      var picked = box && box.checked;
      var memberOf = (row.dataset.groups || "").split(",");
      var inGroup = groups.some(function (g) { return memberOf.indexOf(g) >= 0; });
      var matched = typeof selector === "function" && selector(tagsOf(row));
      if (picked || inGroup || matched) {
        reached += 1;
        if (row.classList.contains("unfit")) unfit += 1;
      }
    });
    out.classList.toggle("none", reached === 0 || selector === false);
    if (selector === false) {
      out.textContent = "The tag selector cannot be read: use key, key=value or key!=value, separated by commas.";
    } else if (reached === 0) {
      out.textContent = "No target selected yet.";
    } else {
      out.textContent = "Will run on " + plural(reached, "target") +
        (unfit ? " (" + unfit + " not of this tool's platform: the run would be refused)" : "") + ".";
    }
  }

  form.addEventListener("change", update);
  if (selectorInput) selectorInput.addEventListener("input", update);
  document.addEventListener("click", function (event) {
    if (event.target.id === "pick-all" || event.target.id === "pick-none") setTimeout(update, 0);
  });
  update();
})();
