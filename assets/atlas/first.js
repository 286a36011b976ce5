/* The first answer's page (dashboard/first.py): the HTML already holds the view, drawn as static HTML in
   #atlas-first, and the layout and callbacks Dash's renderer would fetch next, as JSON data blocks.
   This hands those blocks to the renderer instead of fetching them (once: later requests go to the
   server), and removes the static copy as soon as React has drawn the same page in #react-entry-point
   and its islands are filled.
   Before that, a tap on the static copy's controls waits (a link still opens its view), and the sheet's
   handle works already: React's page keeps the sheet as the reader left it. */
(function () {
  "use strict";
  const statics = document.getElementById("atlas-first");
  if (!statics) { return; }
  const blocks = {"_dash-layout": "atlas-layout", "_dash-dependencies": "atlas-dependencies"};
  const inline = {};
  Object.keys(blocks).forEach(function (name) {
    const block = document.getElementById(blocks[name]);
    if (block) { inline[name] = block.textContent; block.remove(); }
  });
  const fetchFromServer = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === "string" ? input : (input && input.url) || "";
    const name = url.split("?")[0].split("/").pop();
    if (Object.prototype.hasOwnProperty.call(inline, name) && !(init && init.method && init.method !== "GET")) {
      const body = inline[name];
      delete inline[name];
      return Promise.resolve(new Response(body, {status: 200, headers: {"Content-Type": "application/json"}}));
    }
    return fetchFromServer.apply(this, arguments);
  };

  // Until React's page is up, the static copy's buttons do nothing (its links still open their view),
  // but for the sheet's handle (assets/atlas/phone.js).
  function hold(event) {
    const target = event.target;
    if (!target.closest || !statics.contains(target) || target.closest("#sheet-toggle, a[href]")) { return; }
    event.stopPropagation();
  }
  window.addEventListener("click", hold, true);
  window.addEventListener("keydown", hold, true);

  // React's page is complete once it is drawn and its islands (assets/atlas/islands.js) are filled.
  const entry = document.getElementById("react-entry-point");
  let islandsDrawn = false;
  function swap() {
    if (!islandsDrawn || !entry.querySelector(".atlas")) { return; }
    watcher.disconnect();
    window.atlasFirst = null;
    window.removeEventListener("click", hold, true);
    window.removeEventListener("keydown", hold, true);
    // the islands (dashboard/islands.py) as the static copy holds them: moved, not drawn again
    JSON.parse(statics.dataset.islands || "[]").forEach(function (id) {
      const from = statics.querySelector("#" + CSS.escape(id));
      const to = entry.querySelector("#" + CSS.escape(id));
      if (from && to && !to.hasChildNodes()) { to.replaceChildren(...from.childNodes); }
    });
    const handle = statics.querySelector("#sheet-toggle");
    const sheet = entry.querySelector("#sheet-toggle");
    if (handle && sheet && handle.getAttribute("aria-expanded") !== sheet.getAttribute("aria-expanded")) {
      sheet.click();  // the reader unfolded (or folded) the static copy's sheet
    }
    statics.remove();
  }
  window.atlasFirst = {islandsDrawn: function () { islandsDrawn = true; swap(); }};
  const watcher = new MutationObserver(swap);
  watcher.observe(entry, {childList: true, subtree: true});
})();
