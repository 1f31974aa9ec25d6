// The unit picker follows the analyte (units from myotrack.domain.units); qualitative
// screening tests show a result instead of value and unit.
(function () {
  "use strict";
  var table = JSON.parse(document.getElementById("unit-table").textContent);
  var analyte = document.getElementById("analyte");
  var unit = document.getElementById("unit");
  var form = document.getElementById("lab-form");
  function refresh() {
    var a = analyte.value;
    var units = table[a];
    var quantitative = !!units;
    form.querySelectorAll(".quant").forEach(function (el) { el.hidden = !quantitative && a !== ""; });
    form.querySelectorAll(".qual").forEach(function (el) { el.hidden = quantitative || a === ""; });
    var keep = unit.value || unit.getAttribute("data-selected");
    unit.innerHTML = "";
    (units || []).forEach(function (u) {
      var o = document.createElement("option");
      o.textContent = u; o.value = u;
      if (u === keep) o.selected = true;
      unit.appendChild(o);
    });
  }
  analyte.addEventListener("change", function () { unit.value = ""; unit.setAttribute("data-selected", ""); refresh(); });
  refresh();
})();
