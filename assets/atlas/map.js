/* The map's view and its picture.
   - The figure names the view it wants in layout.meta.view ({lon, lat, scale, key, home}: the selected
     territory framed, or the region), and the server changes only that (and the outline) when a territory
     is picked: here the map glides from the view it shows to the new one.
   - The +/- buttons (#zoom-in, #zoom-out) and the + / - keys in presenter mode zoom the drawn map, with no
     round trip; that zoom is kept while the view's key (region and territory) stays the same, through
     re-renders of the figure and of the whole page (a new language), and dropped when the key changes
     or a reset button is pressed.
   - drawMap: the map's part of an answer, drawn after the rest of the page.
   - exportPng: the map at 1920 x 1080 on white, with a title, the filters, the source, the date and a
     legend that can be read on a slide (layout.meta.caption holds the words, in the page's language). */
(function () {
  "use strict";

  const STEP = 1.6;  // one press of + or -
  const MIN_SCALE = 1;  // the whole region
  const MAX_SCALE = 64;
  const GLIDE_MS = 450;
  const ZOOM_MS = 200;
  const VIEW_KEYS = ["geo.center.lon", "geo.center.lat", "geo.projection.scale"];

  let manual = null;  // {key, lon, lat, scale}: the user's own zoom of the view named key
  let shownKey = null;  // the view the map last showed
  let ours = 0;  // relayouts of our own in progress: their redraws are not new figures
  let animation = 0;  // the running animation's number: a newer one stops it
  let gliding = false;
  const watched = new WeakSet();

  function graph() { return document.querySelector("#map .js-plotly-plot"); }
  // drawn through: plotly draws the shapes once their boundaries have come, and a relayout before then is lost
  function drawn(gd) {
    return Boolean(gd && gd._fullLayout && gd._fullLayout.geo && window.Plotly && gd.querySelector(".choroplethlocation"));
  }
  function target(gd) { const meta = gd.layout && gd.layout.meta; return meta && meta.view; }
  function current(gd) {
    const geo = gd._fullLayout.geo;
    return {lon: geo.center.lon, lat: geo.center.lat, scale: geo.projection.scale};
  }
  function wanted(gd) {
    const view = target(gd);
    return view && manual && manual.key === view.key ? manual : view;
  }
  function same(a, b) {
    return Math.abs(a.lon - b.lon) < 1e-3 && Math.abs(a.lat - b.lat) < 1e-3 && Math.abs(a.scale / b.scale - 1) < 1e-3;
  }
  function reducedMotion() { return window.matchMedia("(prefers-reduced-motion: reduce)").matches; }

  // A zoom of the user's is a GUI edit for plotly: a new figure that asks for the same view as before
  // keeps it (uirevision). A view the figure asks for is not.
  function relayout(gd, view, gui) {
    const edit = {"geo.center.lon": view.lon, "geo.center.lat": view.lat, "geo.projection.scale": view.scale};
    ours += 1;
    const call = gui && window.Plotly._guiRelayout ? window.Plotly._guiRelayout : window.Plotly.relayout;
    return Promise.resolve(call(gd, edit)).catch(() => {}).finally(() => { ours -= 1; });
  }

  function forgetGuiView(gd) {
    const pre = gd._fullLayout && gd._fullLayout._preGUI;
    if (pre) { VIEW_KEYS.forEach(k => { delete pre[k]; }); }
  }

  // From one view to another: the scale on a logarithmic path (a zoom looks steady), eased in and out.
  function glide(gd, from, to, ms, gui) {
    const id = ++animation;
    if (reducedMotion() || !from || same(from, to)) { return relayout(gd, to, gui); }
    const start = performance.now();
    gliding = true;
    const k0 = Math.log(from.scale), k1 = Math.log(to.scale);
    return new Promise(function (resolve) {
      function frame(now) {
        if (id !== animation || !gd.isConnected) { resolve(); return; }  // a newer one took over
        const t = Math.min(1, (now - start) / ms);
        const e = t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2;
        const view = t === 1 ? to : {lon: from.lon + (to.lon - from.lon) * e, lat: from.lat + (to.lat - from.lat) * e,
                                     scale: Math.exp(k0 + (k1 - k0) * e)};
        relayout(gd, view, gui).then(function () {
          if (t < 1 && id === animation) { window.requestAnimationFrame(frame); return; }
          if (id === animation) { gliding = false; }
          resolve();
        });
      }
      window.requestAnimationFrame(frame);
    });
  }

  // After each drawing of a figure: show the view it asks for (gliding when the territory or region
  // changed), or the user's zoom of that same view.
  function follow(gd) {
    if (ours || !drawn(gd)) { return; }
    const view = target(gd);
    if (!view) { return; }
    const now = current(gd);
    if (view.key !== shownKey) {
      shownKey = view.key;
      if (manual && manual.key !== view.key) { manual = null; }
      forgetGuiView(gd);
      if (!same(now, view)) { glide(gd, now, view, GLIDE_MS, false); }
      return;
    }
    if (gliding) { return; }  // on its way to the view already
    const want = wanted(gd);
    if (!same(now, want)) { animation += 1; relayout(gd, want, want === manual); }
  }

  function watch(gd) {
    if (!drawn(gd) || watched.has(gd)) { return false; }
    watched.add(gd);
    gd.on("plotly_afterplot", () => follow(gd));
    gd.on("plotly_react", () => follow(gd));
    return true;
  }

  // Dash draws the graph (and loads plotly) after the figure arrives, and a new page (a new language)
  // brings a new graph: watch each graph once it is drawn, and show the view its figure asks for.
  let checking = false;
  function check() {
    checking = false;
    const gd = graph();
    if (drawn(gd) && watch(gd)) { follow(gd); }
  }
  new MutationObserver(function () {
    if (!checking) { checking = true; window.requestAnimationFrame(check); }
  }).observe(document.documentElement, {childList: true, subtree: true});

  function zoom(direction) {
    const gd = graph();
    if (!drawn(gd) || !target(gd)) { return Promise.resolve(); }
    const view = target(gd);
    const from = manual && manual.key === view.key ? manual : current(gd);
    let scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, from.scale * Math.pow(STEP, direction)));
    if (Math.abs(scale / from.scale - 1) < 1e-3) { return Promise.resolve(); }
    // zooming out keeps the view within the region's window: at scale s the centre may stray from the
    // window's middle by (1 - 1/s) of its half spans, so the whole region is back at scale 1
    const home = view.home || {lon: view.lon, lat: view.lat, half_lon: 0, half_lat: 0};
    const room = 1 - 1 / scale;
    const clamp = (value, middle, half) => direction > 0 ? value
      : middle + Math.max(-half * room, Math.min(half * room, value - middle));
    const next = {key: view.key, scale: scale, lon: clamp(from.lon, home.lon, home.half_lon),
                  lat: clamp(from.lat, home.lat, home.half_lat)};
    manual = next;
    shownKey = view.key;
    return glide(gd, current(gd), next, ZOOM_MS, true);
  }

  // "Reset map" and "Reset all" also drop the user's zoom, even when the view they reset to is the same
  function unzoom() {
    manual = null;
    const gd = graph();
    if (drawn(gd) && target(gd) && !same(current(gd), target(gd))) {
      forgetGuiView(gd);
      glide(gd, current(gd), target(gd), ZOOM_MS, false);
    }
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("#zoom-in, #zoom-out, #map-reset, #reset");
    if (!button) { return; }
    if (button.id === "zoom-in" || button.id === "zoom-out") { zoom(button.id === "zoom-in" ? 1 : -1); }
    else { unzoom(); }
  });

  // --- the picture -------------------------------------------------------------------------------

  const PNG = {width: 1920, height: 1080, margin: 56, title: 52, text: 30, small: 26, bar: 150};

  function wrap(ctx, text, width, maxLines) {
    const words = String(text || "").split(/\s+/);
    const lines = [];
    let line = "";
    for (const word of words) {
      const trial = line ? line + " " + word : word;
      if (ctx.measureText(trial).width <= width || !line) { line = trial; continue; }
      lines.push(line);
      line = word;
    }
    if (line) { lines.push(line); }
    if (lines.length > maxLines) {
      lines.length = maxLines;
      lines[maxLines - 1] = lines[maxLines - 1].replace(/\s*\S*$/, "") + " …";
    }
    return lines;
  }

  function loadImage(url) {
    return new Promise(function (resolve, reject) {
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = reject;
      image.src = url;
    });
  }

  // The figure as the page shows it (the same view), on white, with a colour bar sized for a slide.
  function exportFigure(gd, height) {
    const data = JSON.parse(JSON.stringify(gd.data));
    const layout = JSON.parse(JSON.stringify(gd.layout));
    data.forEach(function (trace) {
      if (trace.colorbar) {
        Object.assign(trace.colorbar, {thickness: 28, len: 0.5, y: -0.03,
          tickfont: {size: 26, color: "#000"}, title: Object.assign({}, trace.colorbar.title, {font: {size: 28, color: "#000"}})});
      }
    });
    Object.assign(layout, {width: PNG.width, height: height, paper_bgcolor: "#fff", autosize: false,
                           margin: {l: PNG.margin, r: PNG.margin, t: 0, b: PNG.bar}});
    return {data: data, layout: layout, config: {staticPlot: true, topojsonURL: "/assets/topojson/"}};
  }

  function picture() {
    const gd = graph();
    if (!drawn(gd)) { return Promise.reject(new Error("the map is not drawn yet")); }
    const caption = (gd.layout.meta && gd.layout.meta.caption) || {};
    const lang = caption.lang || document.documentElement.lang || "en";
    const canvas = document.createElement("canvas");
    canvas.width = PNG.width;
    canvas.height = PNG.height;
    const ctx = canvas.getContext("2d");
    const font = window.getComputedStyle(document.body).fontFamily || "sans-serif";
    const inner = PNG.width - 2 * PNG.margin;
    ctx.font = `700 ${PNG.title}px ${font}`;
    const titleLines = wrap(ctx, caption.title, inner, 1);
    ctx.font = `${PNG.text}px ${font}`;
    const filterLines = wrap(ctx, caption.filters, inner, 2);
    const top = PNG.margin + PNG.title * 1.2 + filterLines.length * PNG.text * 1.3 + 16;
    ctx.font = `${PNG.small}px ${font}`;
    const date = new Date().toLocaleDateString(lang, {year: "numeric", month: "long", day: "numeric"});
    const footLines = wrap(ctx, [caption.source, date].filter(Boolean).join(" · "), inner, 2);
    const bottom = footLines.length * PNG.small * 1.3 + PNG.margin * 0.6;
    const mapHeight = Math.round(PNG.height - top - bottom);
    return window.Plotly.toImage(exportFigure(gd, mapHeight), {format: "png", width: PNG.width, height: mapHeight})
      .then(loadImage)
      .then(function (map) {
        ctx.fillStyle = "#fff";
        ctx.fillRect(0, 0, PNG.width, PNG.height);
        ctx.fillStyle = "#000";
        ctx.textBaseline = "top";
        ctx.font = `700 ${PNG.title}px ${font}`;
        titleLines.forEach((line, i) => ctx.fillText(line, PNG.margin, PNG.margin + i * PNG.title * 1.2));
        ctx.font = `${PNG.text}px ${font}`;
        ctx.fillStyle = "#212529";
        filterLines.forEach((line, i) => ctx.fillText(line, PNG.margin, PNG.margin + PNG.title * 1.2 + i * PNG.text * 1.3));
        ctx.drawImage(map, 0, top);
        ctx.font = `${PNG.small}px ${font}`;
        ctx.fillStyle = "#343a40";
        footLines.forEach((line, i) => ctx.fillText(line, PNG.margin, top + mapHeight + i * PNG.small * 1.3));
        return canvas.toDataURL("image/png");
      });
  }

  function download(url, name) {
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // The map's part of an answer (dashboard/mapframe.py as_data: a new figure, or a patch of the
  // selection): given to the graph once the rest of the answer, the panel, is on screen, since drawing
  // the map again (and gliding) keeps the page busy for a while on a slow machine. Answers keep their order.
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.atlas = window.dash_clientside.atlas || {};
  window.dash_clientside.atlas.drawMap = function (answer) {
    if (!answer || typeof answer !== "object" || !answer.figure) { return; }
    // two frames: the answer's panel is drawn in the first, and shown before the map keeps the page busy
    window.requestAnimationFrame(() => window.requestAnimationFrame(
      () => setTimeout(() => window.dash_clientside.set_props("map", answer), 0)));
  };

  window.atlasMap = {
    zoom: zoom,
    picture: picture,  // a promise of the PNG's data URL
    exportPng: () => picture().then(url => download(url, "atlas-map.png")),
  };
})();
