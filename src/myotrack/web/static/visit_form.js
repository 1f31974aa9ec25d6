// Live totals and range errors for the item-by-item visit form. Each instrument block
// posts its items to /api/instruments/<name>/score (the same engine that scores on save)
// and shows the total, and any error beside its item. Plain JavaScript, no library.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var timers = {};

  function parse(text) {
    var t = (text || "").trim().replace(",", ".");
    if (t === "") return null;
    var n = Number(t);
    return isNaN(n) ? t : n;
  }

  function rescore(block) {
    var name = block.getAttribute("data-instrument");
    var items = {};
    var fields = block.querySelectorAll("[data-item]");
    fields.forEach(function (el) {
      var v = parse(el.value);
      if (v !== null) items[el.getAttribute("data-item")] = v;
    });
    var out = block.querySelector("[data-total-for]");
    var state = block.querySelector("[data-state-for]");
    fetch("/api/instruments/" + encodeURIComponent(name) + "/score", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ items: items })
    }).then(function (r) { return r.json().then(function (body) { return [r.status, body]; }); })
      .then(function (pair) {
        var status = pair[0], body = pair[1];
        block.querySelectorAll("[data-error-for]").forEach(function (e) { e.textContent = ""; });
        fields.forEach(function (el) { el.classList.remove("invalid"); });
        if (status !== 200) {
          state.textContent = body.detail || "could not score";
          return;
        }
        (body.errors || []).forEach(function (err) {
          var slot = block.querySelector('[data-error-for="' + name + "." + err.field + '"]');
          var input = block.querySelector('[data-item="' + err.field + '"]');
          if (slot) slot.textContent = err.message;
          if (input) input.classList.add("invalid");
        });
        var answered = Object.keys(items).length;
        if (body.errors && body.errors.length) {
          out.textContent = "–";
          state.textContent = "check the items marked in red";
        } else if (body.total === null || body.total === undefined) {
          out.textContent = "–";
          var missing = body.result ? body.result.missing.length : 0;
          state.textContent = answered ? (missing + " item" + (missing === 1 ? "" : "s") + " to go") : "";
        } else {
          out.textContent = String(Math.round(body.total * 100) / 100);
          state.textContent = body.complete ? "complete" : "";
        }
      }).catch(function () { state.textContent = "live total unavailable (will be computed on save)"; });
  }

  document.querySelectorAll("[data-instrument]").forEach(function (block) {
    var name = block.getAttribute("data-instrument");
    block.addEventListener("input", function () {
      clearTimeout(timers[name]);
      timers[name] = setTimeout(function () { rescore(block); }, 150);
    });
    block.addEventListener("change", function () { rescore(block); });
    var any = Array.prototype.some.call(block.querySelectorAll("[data-item]"), function (el) { return el.value !== ""; });
    if (any) rescore(block);
  });
})();
