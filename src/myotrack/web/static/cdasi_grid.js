// CDASI by keyboard (issue 9): the visit form's CDASI block as a grid — one row per
// anatomical site, columns erythema / scale / erosion (activity) and poikiloderma /
// calcinosis (damage), then the Gottron's-papules-on-hands block and the single items.
//
// Progressive enhancement: the form's own <select> fields stay the fields that are posted
// and scored (visit_form.js); each grid cell writes its digit into its select. Allowed
// values come from the selects' options, which come from the instrument definition, so
// the grid knows nothing clinical. Keys: digits enter (checked against the item's range as
// typed, then the cursor moves on), arrows move, Tab moves, Backspace/Delete clear, Enter
// moves down (never submits). "The rest are 0" is an explicit action: it asks, fills only
// the empty items, records how many in the item rest_set_to_zero, and adds a line to the
// audit reason (the server writes the same into the reason when the page did not:
// web.services.visits). Plain JavaScript, no library.
(function () {
  "use strict";
  var block = document.querySelector('details[data-instrument="cdasi"]');
  if (!block) return;
  var itemsBox = block.querySelector(".items");
  if (!itemsBox) return;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";

  var MAIN = ["erythema", "scale", "erosion_ulceration", "poikiloderma", "calcinosis"];
  var DAMAGE = { poikiloderma: true, calcinosis: true };
  var GOTTRON_PREFIX = "gottron_hands_";
  var REST = "rest_set_to_zero";

  var fields = {};  // item id -> its form field (select or input)
  block.querySelectorAll("[data-item]").forEach(function (el) {
    fields[el.getAttribute("data-item")] = el;
  });
  if (!fields[REST]) return;  // not the CDASI this grid was written for

  function labelOf(id) {
    var lab = block.querySelector('label[for="item__cdasi__' + id + '"]');
    if (!lab) return id;
    var text = "";
    lab.childNodes.forEach(function (n) { if (n.nodeType === 3) text += n.textContent; });
    return text.trim();
  }
  function siteOf(id) { var t = labelOf(id); var at = t.indexOf(":"); return at >= 0 ? t.slice(0, at) : t; }
  function measureOf(id) { var t = labelOf(id); var at = t.indexOf(":"); return at >= 0 ? t.slice(at + 1).trim() : t; }
  function allowed(el) {
    var vals = [];
    Array.prototype.forEach.call(el.options || [], function (o) {
      if (o.value !== "" && !isNaN(Number(o.value))) vals.push(Number(o.value));
    });
    return vals;
  }
  function rangeText(vals) { return vals.length ? Math.min.apply(null, vals) + "–" + Math.max.apply(null, vals) : ""; }

  // ---- layout, from the item ids present ------------------------------------------------
  var sites = [];
  Object.keys(fields).forEach(function (id) {
    if (id.slice(-9) === "_erythema" && id.indexOf(GOTTRON_PREFIX) !== 0) {
      var site = id.slice(0, -9);
      if (fields[site + "_scale"]) sites.push(site);
    }
  });
  var gottron = Object.keys(fields).filter(function (id) { return id.indexOf(GOTTRON_PREFIX) === 0; });
  var inGrid = {};
  sites.forEach(function (s) { MAIN.forEach(function (m) { inGrid[s + "_" + m] = true; }); });
  gottron.forEach(function (id) { inGrid[id] = true; });
  var singles = Object.keys(fields).filter(function (id) {
    return !inGrid[id] && id !== REST && fields[id].tagName === "SELECT";
  });
  singles.forEach(function (id) { inGrid[id] = true; });
  var scoredIds = Object.keys(inGrid);

  // ---- styles (CSP allows inline styles; no extra file) ---------------------------------
  var style = document.createElement("style");
  style.textContent = [
    ".cdasi-grid { margin: .4rem 0 .8rem; }",
    ".cdasi-grid table { border-collapse: collapse; font-size: .88rem; }",
    ".cdasi-grid th, .cdasi-grid td { border: 1px solid var(--line, #dde3ea); padding: .15rem .4rem; text-align: center; }",
    ".cdasi-grid th.site { text-align: left; font-weight: 500; white-space: nowrap; }",
    ".cdasi-grid thead th { background: #f4f6f9; font-weight: 600; vertical-align: bottom; }",
    ".cdasi-grid thead th small { display: block; font-weight: 400; color: var(--muted, #5b6675); }",
    ".cdasi-grid .dmg { background: #fbf8f1; }",
    ".cdasi-grid input.cg { width: 2.2rem; text-align: center; font: inherit; font-size: 1rem; padding: .15rem; border: 1px solid #b9c3cf; border-radius: 4px; }",
    ".cdasi-grid input.cg:focus { outline: 2px solid var(--accent, #1f5f8b); background: #eef5fb; }",
    ".cdasi-grid input.cg.bad { border-color: var(--err, #a4262c); background: var(--err-bg, #fbeaea); }",
    ".cdasi-grid .derived { font-weight: 600; white-space: nowrap; }",
    ".cdasi-grid caption { caption-side: bottom; text-align: left; max-width: 34rem; padding-top: .2rem; }",
    ".cdasi-grid .row { display: flex; gap: 1.4rem; flex-wrap: wrap; align-items: flex-start; margin-top: .7rem; }",
    ".cdasi-grid .status { min-height: 1.3em; margin: .4rem 0; }",
    ".cdasi-grid .status.err { color: var(--err, #a4262c); font-weight: 500; }",
    ".cdasi-grid .rest-note { background: var(--warn-bg, #fff6dc); padding: .2rem .5rem; border-radius: 4px; }",
    ".cdasi-grid .tools { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }",
    ".cdasi-grid .scores { font-weight: 600; }",
    ".cdasi-grid-hidden { display: none !important; }"
  ].join("\n");
  document.head.appendChild(style);

  // ---- build ------------------------------------------------------------------------------
  var grid = document.createElement("div");
  grid.className = "cdasi-grid";
  grid.setAttribute("data-cdasi-grid", "");
  var help = document.createElement("p");
  help.className = "muted small";
  help.textContent = "Type the score of each cell: digits enter and move on; arrow keys and Tab move; " +
    "Backspace clears. Values outside an item's range are refused as you type.";
  grid.appendChild(help);

  var cells = [];  // in DOM (typing) order
  function makeCell(id) {
    var field = fields[id];
    var input = document.createElement("input");
    input.className = "cg";
    input.setAttribute("data-cell", id);
    input.setAttribute("inputmode", "numeric");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("maxlength", "1");
    input.setAttribute("aria-label", labelOf(id) + " (" + rangeText(allowed(field)) + ")");
    input.title = labelOf(id) + ": " + rangeText(allowed(field));
    input.value = field.value === "" ? "" : String(Number(field.value));
    cells.push(input);
    return input;
  }
  function th(text, sub, cls) {
    var h = document.createElement("th");
    h.textContent = text;
    if (sub) { var s = document.createElement("small"); s.textContent = sub; h.appendChild(s); }
    if (cls) h.className = cls;
    return h;
  }

  // Main grid: sites x measures.
  var table = document.createElement("table");
  table.setAttribute("data-grid", "sites");
  var thead = document.createElement("thead");
  var hr = document.createElement("tr");
  hr.appendChild(th("Site", "", "site"));
  MAIN.forEach(function (m) {
    var first = fields[sites[0] + "_" + m];
    hr.appendChild(th(measureOf(sites[0] + "_" + m).replace(/ \(.*\)$/, ""),
      (DAMAGE[m] ? "damage " : "activity ") + rangeText(allowed(first)), DAMAGE[m] ? "dmg" : ""));
  });
  thead.appendChild(hr);
  table.appendChild(thead);
  var tbody = document.createElement("tbody");
  sites.forEach(function (site) {
    var tr = document.createElement("tr");
    tr.appendChild(th(siteOf(site + "_erythema"), "", "site"));
    MAIN.forEach(function (m) {
      var td = document.createElement("td");
      if (DAMAGE[m]) td.className = "dmg";
      td.appendChild(makeCell(site + "_" + m));
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  });
  table.appendChild(tbody);
  grid.appendChild(table);

  // Gottron's papules on the hands, then the single items.
  var row = document.createElement("div");
  row.className = "row";
  if (gottron.length) {
    var gt = document.createElement("table");
    gt.setAttribute("data-grid", "gottron");
    var gh = document.createElement("tr");
    var gb = document.createElement("tr");
    gh.appendChild(th(siteOf(gottron[0]), "", "site"));
    gb.appendChild(th("score", "", "site"));
    gottron.forEach(function (id) {
      var dmg = /damage/.test(measureOf(id));
      gh.appendChild(th(measureOf(id).replace(/ \(.*\)$/, ""), rangeText(allowed(fields[id])), dmg ? "dmg" : ""));
      var td = document.createElement("td");
      if (dmg) td.className = "dmg";
      td.appendChild(makeCell(id));
      gb.appendChild(td);
    });
    var help0 = fields[gottron[0]].closest(".item");
    var rule = help0 ? help0.querySelector(".help") : null;
    gh.appendChild(th("activity", "derived", ""));
    var out = document.createElement("td");
    out.className = "derived";
    out.setAttribute("data-derived-for", "gottron_hands_activity");
    out.textContent = "–";
    gb.appendChild(out);
    var gthead = document.createElement("thead"); gthead.appendChild(gh);
    var gtbody = document.createElement("tbody"); gtbody.appendChild(gb);
    gt.appendChild(gthead); gt.appendChild(gtbody);
    if (rule) {
      var cap = document.createElement("caption");
      cap.className = "muted small";
      cap.setAttribute("data-rule", "gottron_hands_activity");
      cap.textContent = rule.getAttribute("title");
      gt.appendChild(cap);
    }
    row.appendChild(gt);
  }
  if (singles.length) {
    var st = document.createElement("table");
    st.setAttribute("data-grid", "other");
    var sh = document.createElement("tr");
    var sb = document.createElement("tr");
    singles.forEach(function (id) {
      sh.appendChild(th(labelOf(id).replace(/ \(.*\)$/, ""), rangeText(allowed(fields[id])), ""));
      var td = document.createElement("td");
      td.appendChild(makeCell(id));
      sb.appendChild(td);
    });
    var sthead = document.createElement("thead"); sthead.appendChild(sh);
    var stbody = document.createElement("tbody"); stbody.appendChild(sb);
    st.appendChild(sthead); st.appendChild(stbody);
    row.appendChild(st);
  }
  grid.appendChild(row);

  var tools = document.createElement("div");
  tools.className = "tools";
  var restButton = document.createElement("button");
  restButton.type = "button";
  restButton.id = "cdasi-rest-zero";
  restButton.textContent = "The rest are 0…";
  restButton.title = "Set every CDASI item not yet entered to 0 (asks first; recorded with the assessment and in the audit reason)";
  tools.appendChild(restButton);
  var scores = document.createElement("span");
  scores.className = "scores";
  scores.setAttribute("data-cdasi-scores", "");
  tools.appendChild(scores);
  var restNote = document.createElement("span");
  restNote.className = "rest-note small";
  restNote.setAttribute("data-rest-note", "");
  tools.appendChild(restNote);
  grid.appendChild(tools);
  var status = document.createElement("p");
  status.className = "status small";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.setAttribute("data-cdasi-status", "");
  grid.appendChild(status);

  itemsBox.parentNode.insertBefore(grid, itemsBox);
  // The per-item fields stay in the form (they are what is posted) but out of sight; the
  // list comes back if the grid is switched off.
  itemsBox.classList.add("cdasi-grid-hidden");
  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "link-button small";
  toggle.textContent = "Show the item list instead";
  toggle.addEventListener("click", function () {
    var hidden = itemsBox.classList.toggle("cdasi-grid-hidden");
    grid.classList.toggle("cdasi-grid-hidden", !hidden);
    toggle.textContent = hidden ? "Show the item list instead" : "Show the grid";
  });
  grid.parentNode.insertBefore(toggle, itemsBox);

  // ---- behaviour ------------------------------------------------------------------------
  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("err", !!isError);
  }
  function write(cell, text) {
    var id = cell.getAttribute("data-cell");
    var field = fields[id];
    cell.value = text;
    cell.classList.remove("bad");
    field.value = text === "" ? "" : matchOption(field, Number(text));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function matchOption(field, n) {
    var found = "";
    Array.prototype.forEach.call(field.options || [], function (o) {
      if (o.value !== "" && Number(o.value) === n) found = o.value;
    });
    return found || String(n);
  }
  function move(cell, dx, dy) {
    var i = cells.indexOf(cell);
    if (dy === 0) {
      var j = i + dx;
      if (j >= 0 && j < cells.length) cells[j].focus();
      return;
    }
    var td = cell.closest("td");
    var tr = td.parentNode;
    var col = Array.prototype.indexOf.call(tr.children, td);
    var rows = Array.prototype.slice.call(tr.parentNode.children);
    var r = rows.indexOf(tr) + dy;
    while (r >= 0 && r < rows.length) {
      var target = rows[r].children[col] && rows[r].children[col].querySelector("input.cg");
      if (target) { target.focus(); return; }
      r += dy;
    }
    // Past the last row of a table: on to the next cell in typing order.
    var k = dy > 0 ? i + 1 : i - 1;
    if (k >= 0 && k < cells.length) cells[k].focus();
  }
  cells.forEach(function (cell) {
    cell.addEventListener("focus", function () { cell.select(); });
    cell.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var key = ev.key;
      if (/^[0-9]$/.test(key)) {
        ev.preventDefault();
        var id = cell.getAttribute("data-cell");
        var vals = allowed(fields[id]);
        if (vals.indexOf(Number(key)) < 0) {
          cell.classList.add("bad");
          say(labelOf(id) + ": " + key + " is not allowed (allowed " + rangeText(vals) + ").", true);
          return;
        }
        write(cell, key);
        say("", false);
        move(cell, 1, 0);
      } else if (key === "ArrowRight") { ev.preventDefault(); move(cell, 1, 0); }
      else if (key === "ArrowLeft") { ev.preventDefault(); move(cell, -1, 0); }
      else if (key === "ArrowDown" || key === "Enter") { ev.preventDefault(); move(cell, 0, 1); }
      else if (key === "ArrowUp") { ev.preventDefault(); move(cell, 0, -1); }
      else if (key === "Backspace" || key === "Delete") { ev.preventDefault(); write(cell, ""); }
      else if (key.length === 1) {
        ev.preventDefault();  // letters and signs never enter a score
        say(labelOf(cell.getAttribute("data-cell")) + ": type a digit (allowed " +
          rangeText(allowed(fields[cell.getAttribute("data-cell")])) + ").", true);
      }
    });
    // Pasted or otherwise changed text: checked the same way.
    cell.addEventListener("input", function () {
      var id = cell.getAttribute("data-cell");
      var t = cell.value.trim();
      if (t === "") { write(cell, ""); return; }
      if (allowed(fields[id]).indexOf(Number(t)) < 0) {
        cell.classList.add("bad");
        say(labelOf(id) + ": " + t + " is not allowed (allowed " + rangeText(allowed(fields[id])) + ").", true);
        return;
      }
      write(cell, t);
    });
  });

  function restCount() {
    var v = fields[REST].value.trim();
    return v === "" || isNaN(Number(v)) ? 0 : Number(v);
  }
  function showRest() {
    var n = restCount();
    restNote.textContent = n ? n + " item" + (n === 1 ? " was" : "s were") +
      " set to 0 by 'the rest are 0' (recorded with the assessment)" : "";
  }
  // A CDASI stored before the December 2026 errata keeps its pre-summed Gottron's-hands
  // activity (the form marks it: data-kept-items; the server keeps it on save). "The rest
  // are 0" must not fill the raw Gottron's inputs there: that would replace the stored
  // value with 0.
  var keptBox = block.querySelector("[data-kept-items]");
  var keptOld = keptBox ? (keptBox.getAttribute("data-kept-items") || "").split(" ") : [];
  function replacesKept(c) {
    return keptOld.indexOf("gottron_hands_activity") >= 0 &&
      c.getAttribute("data-cell").indexOf(GOTTRON_PREFIX) === 0;
  }
  restButton.addEventListener("click", function () {
    var empty = cells.filter(function (c) { return c.value === "" && !replacesKept(c); });
    if (!empty.length) { say("Every CDASI item is already entered.", false); return; }
    var ok = window.confirm("Set the " + empty.length + " CDASI item" + (empty.length === 1 ? "" : "s") +
      " not yet entered to 0?\n\nThis is recorded with the assessment and in the audit reason.");
    if (!ok) { say("Nothing was set to 0.", false); return; }
    grid.querySelectorAll("input.cg.bad").forEach(function (c) { c.classList.remove("bad"); });
    empty.forEach(function (c) {
      c.value = "0";
      var field = fields[c.getAttribute("data-cell")];
      field.value = matchOption(field, 0);
    });
    var total = restCount() + empty.length;
    fields[REST].value = String(total);
    var reason = document.querySelector('#visit-form input[name="reason"]');
    if (reason) {
      var line = "CDASI: " + empty.length + " item" + (empty.length === 1 ? "" : "s") +
        " set to 0 by the explicit action 'the rest are 0'";
      reason.value = reason.value.trim() ? reason.value.trim() + "; " + line : line;
    }
    fields[REST].dispatchEvent(new Event("change", { bubbles: true }));
    showRest();
    say(empty.length + " item" + (empty.length === 1 ? "" : "s") + " set to 0.", false);
  });

  // Derived items and both sub-scores, from the same engine (the visit form's own live
  // total shows activity only).
  var timer = null;
  function refresh() {
    var items = {};
    Object.keys(fields).forEach(function (id) {
      var v = fields[id].value.trim();
      if (v !== "") items[id] = isNaN(Number(v)) ? v : Number(v);
    });
    fetch("/api/instruments/cdasi/score", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ items: items })
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (!body) return;
      (body.errors || []).forEach(function (err) {
        var cell = grid.querySelector('[data-cell="' + err.field + '"]');
        if (cell) cell.classList.add("bad");
      });
      if (body.errors && body.errors.length) {
        var first = body.errors[0].message;
        var at = first.indexOf(": allowed");
        say(labelOf(body.errors[0].field) + (at >= 0 ? ": " + first.slice(at + 2) : ": " + first), true);
      }
      var result = body.result || {};
      var derived = result.derived || {};
      grid.querySelectorAll("[data-derived-for]").forEach(function (el) {
        var v = derived[el.getAttribute("data-derived-for")];
        el.textContent = v === null || v === undefined ? "–" : "= " + v;
      });
      var subs = result.subscores || {};
      var parts = [];
      Object.keys(subs).forEach(function (k) {
        parts.push(k + " " + (subs[k] === null || subs[k] === undefined ? "–" : subs[k]));
      });
      scores.textContent = parts.join(" · ");
    }).catch(function () { /* the live total is a convenience; the save scores again */ });
  }
  block.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 120); });
  showRest();
  // Editing a CDASI stored before the December 2026 errata: say that its pre-summed
  // Gottron's-hands activity (which has no cell here) is kept.
  if (keptOld.indexOf("gottron_hands_activity") >= 0) {
    say("Stored before the December 2026 errata: the Gottron's-hands activity is one pre-summed " +
      "number, kept when you save. Enter erythema, papules and ulceration only to replace it.", false);
  }
  if (cells.some(function (c) { return c.value !== ""; })) refresh();
})();
