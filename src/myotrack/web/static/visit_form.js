// Live totals and range errors for the item-by-item visit form. Each instrument block
// posts its items to /api/instruments/<name>/score (the same engine that scores on save)
// and shows the total, the sub-scores, and any error beside its item. Plain JavaScript.
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

  function fmt(x) { return String(Math.round(x * 100) / 100); }

  function rescore(block) {
    var name = block.getAttribute("data-instrument");
    var rule = block.getAttribute("data-total-rule");
    var items = {};
    var fields = block.querySelectorAll("[data-item]");
    fields.forEach(function (el) {
      var v = parse(el.value);
      if (v !== null) items[el.getAttribute("data-item")] = v;
    });
    var out = block.querySelector("[data-total-for]");
    var state = block.querySelector("[data-state-for]");
    function setTotal(text) { if (out) out.textContent = text; }
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
          var at = err.message.indexOf(": allowed");
          if (slot) slot.textContent = at >= 0 ? err.message.slice(at + 2) : err.message;
          if (input) input.classList.add("invalid");
        });
        var answered = Object.keys(items).length;
        if (body.errors && body.errors.length) {
          setTotal("–");
          state.textContent = "check the items marked in red";
          return;
        }
        var result = body.result || {};
        var parts = [];
        // subscores in the definition's words ('number of damage items present ...'), not ids
        var ids = JSON.parse(block.getAttribute("data-subscore-ids") || "[]");
        var words = JSON.parse(block.getAttribute("data-subscore-words") || "[]");
        Object.keys(result.subscores || {}).forEach(function (k) {
          var v = result.subscores[k];
          var at = ids.indexOf(k);
          var label = at >= 0 && words[at] ? words[at] : k.replace(/_/g, " ");
          if (v !== null && v !== undefined) parts.push(label + " " + fmt(v));
        });
        var missing = (result.missing || []).length;
        if (body.total === null || body.total === undefined) {
          if (rule === "sum" && answered) {
            var sum = 0;
            Object.keys(items).forEach(function (k) { if (typeof items[k] === "number") sum += items[k]; });
            setTotal("–");
            parts.unshift("so far " + fmt(sum));
          } else {
            setTotal("–");
          }
          if (answered && missing) parts.push(missing + " item" + (missing === 1 ? "" : "s") + " to go");
        } else {
          setTotal(fmt(body.total));
          if (body.complete) parts.push("complete");
        }
        (result.flags || []).forEach(function (f) { if (f !== "incomplete") parts.push(f); });
        state.textContent = parts.join(" · ");
      }).catch(function () { state.textContent = "live total unavailable (computed on save)"; });
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
