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
