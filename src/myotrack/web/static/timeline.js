// Draws the patient timeline from the figure JSON embedded in the page, with the plotly.js
// that the installed plotly package ships (served by this app, not a CDN).
(function () {
  "use strict";
  var data = document.getElementById("timeline-data");
  var target = document.getElementById("timeline-plot");
  if (!data || !target || !window.Plotly) return;
  var fig = JSON.parse(data.textContent);
  window.Plotly.newPlot(target, fig.data, fig.layout, { responsive: true, displaylogo: false,
    modeBarButtonsToRemove: ["lasso2d", "select2d"] });
})();
