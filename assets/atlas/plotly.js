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
  // A geo subplot fetches its base map (world_110m) before drawing, even with every base layer hidden, as
  // the map hides them (dashboard/figures.py: its territories are the choropleths' own boundaries). Handed
  // an empty one, it draws the same map without the 38 KB download and its round trip.
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};
  window.PlotlyGeoAssets.topojson = Object.assign({world_110m: {type: "Topology", objects: {}, arcs: []}},
                                                  window.PlotlyGeoAssets.topojson);
})();
