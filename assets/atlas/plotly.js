/* Dash's graph loads plotly.js from window._dashPlotlyJSURL when it first draws, and Dash's renderer points
   that at plotly's full bundle (4.8 MB) as it starts. The map needs only plotly's geo traces: this keeps the
   address on the vendored geo bundle that the page names in <meta name="atlas-plotly-js">, so the full
   bundle is never fetched and the cards do not wait for the map's script. */
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="atlas-plotly-js"]');
  if (!meta || window.Plotly) { return; }
  const url = meta.getAttribute("content");
  Object.defineProperty(window, "_dashPlotlyJSURL", {configurable: true, get: () => url, set: () => {}});
})();
