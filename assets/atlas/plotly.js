/* Dash's graph loads plotly.js from window._dashPlotlyJSURL when it first draws, and Dash's renderer points
   that at plotly's full bundle (4.8 MB) as it starts. The map needs only plotly's geo traces: this keeps the
   address on the vendored geo bundle that the page names in <meta name="atlas-plotly-js">, so the full
   bundle is never fetched and the cards do not wait for the map's script.

   The bundle is also run as soon as it has come (the page preloads it), not once React has drawn the
   graph: on a slow phone its 0.8 s of parsing and running then happens while the rest of the page is
   still on its way. Until it has run, window.Plotly is a promise of it, which Dash's graph waits for
   (`Promise.resolve(window.Plotly || load it)`) instead of adding the same script a second time. */
(function () {
  "use strict";
  // A geo subplot fetches its base map (world_110m) before drawing, even with every base layer hidden, as
  // the map hides them (dashboard/figures.py: its territories are the choropleths' own boundaries). Handed
  // an empty one, it draws the same map without the 38 KB download and its round trip.
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};
  window.PlotlyGeoAssets.topojson = Object.assign({world_110m: {type: "Topology", objects: {}, arcs: []}},
                                                  window.PlotlyGeoAssets.topojson);
  // A phone's map (below 768 px, the page preloads it) draws the lighter copy of the boundaries, with the
  // same territories and small islands (geo/light.py), handed to plotly under the map's own address.
  // Until it has come, that address is "pending": plotly then waits for it rather than fetching the map's
  // own boundaries as well (it has come long before, as it is smaller than plotly's bundle and asked for
  // with it). Should it fail, the map's own boundaries are fetched instead, and should they fail too,
  // plotly says so as it would.
  const boundaries = document.querySelector('meta[name="atlas-boundaries"]');
  const [own, light] = boundaries ? boundaries.content.split(" ") : [];
  if (light && window.matchMedia("(max-width: 767.98px)").matches && !window.PlotlyGeoAssets[own]) {
    const shapes = (url) => fetch(url).then(function (answer) {
      if (!answer.ok) { throw new Error(url + ": " + answer.status); }
      return answer.json();
    });
    window.PlotlyGeoAssets[own] = "pending";
    shapes(light).catch(() => shapes(own)).then(function (collection) {
      window.PlotlyGeoAssets[own] = collection;
    }, function () { delete window.PlotlyGeoAssets[own]; });
  }
  const meta = document.querySelector('meta[name="atlas-plotly-js"]');
  if (!meta || window.Plotly) { return; }
  const url = meta.getAttribute("content");
  Object.defineProperty(window, "_dashPlotlyJSURL", {configurable: true, get: () => url, set: () => {}});

  let plotly = null, done, failed;
  const loaded = new Promise(function (resolve, reject) { done = resolve; failed = reject; });
  loaded.catch(function () {});  // a failure is Dash's graph's to report, when it asks
  function settle(value) {  // window.Plotly becomes a plain property again
    Object.defineProperty(window, "Plotly", {configurable: true, writable: true, value: value});
  }
  Object.defineProperty(window, "Plotly", {
    configurable: true,
    get: () => plotly || loaded,
    set: (value) => { plotly = value; },  // the bundle's own `window.Plotly = ...`
  });
  const script = document.createElement("script");
  script.src = url;
  script.async = true;
  script.fetchPriority = "high";
  script.onload = function () { settle(plotly); done(plotly); };
  script.onerror = function () {
    settle(undefined);  // Dash's graph then adds the script itself, and reports it if it fails again
    failed(new Error("plotly.js did not load"));
  };
  document.head.appendChild(script);
})();
