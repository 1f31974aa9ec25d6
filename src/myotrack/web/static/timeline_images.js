// Marks the patient's clinical images on the timeline drawn by timeline.js (issue 14): one
// square per image in an "images" row beneath the drug courses, with its kind, site and date
// on hover; a click opens the image on the patient's images page. The images are those the
// page's images card shows this user (the server decides; nothing else is fetched here).
(function () {
  "use strict";

  function courseAxis(layout) {
    // The bottom panel of the timeline: the category axis of courses and events.
    var found = null;
    Object.keys(layout).forEach(function (key) {
      if (/^yaxis\d*$/.test(key) && layout[key] && layout[key].type === "category") {
        found = key;
      }
    });
    return found;
  }

  function mark() {
    var data = document.getElementById("timeline-images");
    var target = document.getElementById("timeline-plot");
    if (!data || !target || !window.Plotly || !target.layout) return;
    var images = JSON.parse(data.textContent);
    var key = courseAxis(target.layout);
    if (!images.length || !key) return;
    var axis = key === "yaxis" ? "y" : "y" + key.slice(5);
    var rows = (target.layout[key].categoryarray || []).slice();
    var update = { height: (target.layout.height || 400) + 28 };
    update[key + ".categoryarray"] = ["images"].concat(rows); // the lowest row
    window.Plotly.relayout(target, update);
    window.Plotly.addTraces(target, {
      type: "scatter",
      mode: "markers",
      name: "images",
      x: images.map(function (i) { return i.x; }),
      y: images.map(function () { return "images"; }),
      yaxis: axis,
      marker: { symbol: "square", size: 11, color: "#6a3d9a", line: { color: "white", width: 1 } },
      hovertext: images.map(function (i) { return i.text; }),
      hoverinfo: "text",
      customdata: images.map(function (i) { return i.href; }),
      showlegend: false
    });
    target.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      if (point && typeof point.customdata === "string") window.location.href = point.customdata;
    });
  }

  // After timeline.js (a deferred script like this one) has drawn the plot.
  window.addEventListener("load", mark);
})();
