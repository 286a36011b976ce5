/* The islands (dashboard/islands.py): parts of the page drawn from the server's HTML rather than as
   React components. The page holds each as an empty element that React never fills; the `islands`
   store holds the HTML of those the page or the last answer drew, and this puts it in place. What
   Dash components did inside them, plain handlers do here: a Print brief press asks for the brief,
   which prints once drawn, and links are followed inside the page. */
(function () {
  "use strict";

  window.dash_clientside = window.dash_clientside || {};
  const atlas = window.dash_clientside.atlas = window.dash_clientside.atlas || {};
  let printWanted = false;  // the Print brief button was pressed: print once the brief is drawn
  const drawnHtml = new WeakMap();  // element -> the HTML last put in it
  let draws = 0;

  atlas.drawIslands = function (islands) {
    if (!islands || typeof islands !== "object") { return window.dash_clientside.no_update; }
    // React's page: the first answer's static copy (assets/atlas/first.js) holds the same ids until then
    const page = document.getElementById("react-entry-point") || document;
    Object.keys(islands).forEach(function (id) {
      const element = page.querySelector("#" + CSS.escape(id));
      const html = islands[id];
      if (!element || typeof html !== "string" || drawnHtml.get(element) === html) { return; }
      element.innerHTML = html;
      drawnHtml.set(element, html);
    });
    if (window.atlasFirst) { window.atlasFirst.islandsDrawn(); }
    if (printWanted && islands["brief-wrap"]) {
      printWanted = false;
      window.requestAnimationFrame(() => setTimeout(() => window.print(), 0));
    }
    draws += 1;
    return draws;
  };

  // Print brief: once the page shows every queued action, ask the server for the brief of that view.
  document.addEventListener("click", function (event) {
    if (!(event.target.closest && event.target.closest("#print-brief")) || !window.atlasActions) { return; }
    printWanted = true;
    window.atlasActions.whenSettled(() => window.dash_clientside.set_props("print-request", {data: Date.now()}));
  });

  // A theme's button on a card names what it does (its definition, said once in the page): its tooltip.
  document.addEventListener("mouseover", function (event) {
    const chip = event.target.closest && event.target.closest(".theme-chip[aria-describedby]");
    if (!chip || chip.title) { return; }
    const said = document.getElementById(chip.getAttribute("aria-describedby"));
    if (said) { chip.title = said.textContent; }
  });

  // A link inside an island (a tour step, "also recommended in Italy") is followed as dcc.Link follows
  // its href: the URL is pushed and the page asks for its view (assets/atlas/actions.js). One opened in
  // a new tab or window, or in the static first page, follows its href.
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a[data-link]");
    if (!link || event.defaultPrevented || !link.closest("#react-entry-point")) { return; }
    if (!window.atlasActions || window.atlasActions.elsewhere(event)) { return; }
    event.preventDefault();
    window.history.pushState({}, "", link.getAttribute("href"));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  });
})();
