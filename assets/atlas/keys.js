/* Presenter keys, the key legend, and scrolling to a recommendation named in the URL hash.
   Keys queue the same actions as the page's buttons (actions.js), so a key does what a click does. */
(function () {
  "use strict";

  function presenting() { return document.body.classList.contains("presenting"); }
  function byId(id) { return document.getElementById(id); }
  function click(id) { const el = byId(id); if (el && !el.disabled) { el.click(); } }

  function act(action) { window.atlasActions.queue(action); }
  function zoom(direction) { if (window.atlasMap) { window.atlasMap.zoom(direction); } }

  // Cards out of sight are not laid out (atlas.css): lay them all out before scrolling to one.
  function scrollToCard(card) {
    const panel = card.closest("#side-panel");
    if (panel) { panel.classList.add("laid-out"); }
    card.scrollIntoView({block: "center", behavior: "instant"});
    card.focus({preventScroll: true});
  }

  function stepRecommendation(delta) {
    const cards = Array.from(document.querySelectorAll("#side-panel .rec-card"));
    if (!cards.length) { return; }
    const current = cards.findIndex(c => c.classList.contains("current"));
    let next = current < 0 ? (delta > 0 ? 0 : cards.length - 1) : Math.max(0, Math.min(cards.length - 1, current + delta));
    cards.forEach(c => c.classList.remove("current"));
    cards[next].classList.add("current");
    scrollToCard(cards[next]);
  }

  // A browser may refuse full screen (a rejected promise), or be old enough to answer no promise at all:
  // neither is an error on the page.
  function quietly(result) { if (result && typeof result.catch === "function") { result.catch(() => {}); } }

  function toggleFullScreen() {
    const root = document.documentElement;
    if (document.fullscreenElement || document.webkitFullscreenElement) {
      const exit = document.exitFullscreen || document.webkitExitFullscreen;
      if (exit) { quietly(exit.call(document)); }
    } else {
      const request = root.requestFullscreen || root.webkitRequestFullscreen;
      if (request) { quietly(request.call(root)); }
    }
  }

  // Esc leaves at once (a second Esc, or an arrow, before the answer must not act as if still presenting)
  function leave() {
    act({kind: "present", on: false});
    document.body.classList.remove("presenting", "qr-large", "legend-hidden");  // the legend shows on coming back
    window.dispatchEvent(new Event("resize"));
  }

  document.addEventListener("keydown", function (event) {
    if (!presenting() || event.ctrlKey || event.metaKey || event.altKey) { return; }
    const target = event.target;
    if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) { return; }
    const actions = {
      ArrowRight: () => act({kind: "next", delta: 1}),  // the next tour step, or territory
      ArrowLeft: () => act({kind: "next", delta: -1}),
      // once the page shows every queued action, so that ↓ right after → walks the new territory's cards
      ArrowDown: () => window.atlasActions.whenSettled(() => stepRecommendation(1)),
      ArrowUp: () => window.atlasActions.whenSettled(() => stepRecommendation(-1)),
      l: () => click("lang"), L: () => click("lang"),
      t: () => act({kind: "next-theme"}), T: () => act({kind: "next-theme"}),
      "0": () => click("reset"),
      f: toggleFullScreen, F: toggleFullScreen,
      Escape: leave,
      "?": () => document.body.classList.toggle("legend-hidden"),
      q: () => document.body.classList.toggle("qr-large"), Q: () => document.body.classList.toggle("qr-large"),
      "+": () => zoom(1), "=": () => zoom(1), "-": () => zoom(-1), "−": () => zoom(-1),  // the map (map.js)
    };
    // On a French (AZERTY) keyboard the 0 key types "à" unless shifted: go by the key's place for it too.
    const action = actions[event.key] || (event.code === "Digit0" && !event.shiftKey ? actions["0"] : undefined);
    if (action) {
      event.preventDefault();
      // a zoom button clicked with the mouse would show a focus ring after a key press (keyboard focus)
      const active = document.activeElement;
      if (active && active.closest && active.closest(".map-zoom")) { active.blur(); }
      action();
    }
  });

  // Dash re-creates the parts of the page an action changes, which drops keyboard focus to <body>:
  // put it back on the element of the same id (a territory button, a chip, a matrix cell, "Add this
  // view"), or on the panel when a control in it went away ("Clear"). A pointer press forgets it.
  let focused = null;
  document.addEventListener("focusin", function (event) {
    const el = event.target.closest && event.target.closest("[id]");
    focused = el && el !== document.body && el.id !== "react-entry-point"
      ? {id: el.id, self: el === event.target, inPanel: Boolean(el.closest("#side-panel")), what: whatItDoes(event.target)} : null;
  });
  function whatItDoes(el) { return el.getAttribute("data-action") || (el.tagName === "A" && el.getAttribute("href")) || null; }
  document.addEventListener("pointerdown", function () { focused = null; });  // focusin follows on a control
  function restoreFocus() {
    const active = document.activeElement;
    if (!focused || (active && active !== document.body)) { return; }
    const again = document.getElementById(focused.id);
    const panel = document.getElementById("side-panel");
    if (again) {
      // a control with no id of its own (a card's theme button, a tour step) is found by what it does
      const same = focused.what && [...again.querySelectorAll("[data-action], a[href]")].find(c => whatItDoes(c) === focused.what);
      const target = focused.self ? again : (same || again.querySelector("input, button, a[href], [tabindex]") || again);
      target.focus({preventScroll: true});
    } else if (focused.inPanel && panel) {
      panel.focus({preventScroll: true});
    }
  }

  // A link such as "also recommended in Italy, No. 11" ends in #rec-<id>: show that card once it is drawn.
  let shown = "";
  function showLinkedCard() {
    const key = window.location.search + window.location.hash;
    if (!window.location.hash.startsWith("#rec-")) { shown = ""; return; }  // the same link may be followed again
    if (key === shown) { return; }
    const card = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (card) {
      shown = key;
      document.querySelectorAll("#side-panel .rec-card.current").forEach(c => c.classList.remove("current"));
      card.classList.add("current");
      scrollToCard(card);
    }
  }

  // A new territory (or the overview) starts at the top of the panel, not in the middle of the last one's cards.
  // Whether the panel's column is scrolled is learnt from its scroll events: asking the column itself
  // would lay the new panel out there and then, in the middle of drawing the answer.
  let territory = null;
  const scrolled = new WeakSet();  // columns scrolled away from their top
  document.addEventListener("scroll", function (event) {
    const column = event.target;
    if (!column.classList || !column.classList.contains("panel-col")) { return; }
    if (column.scrollTop > 0) { scrolled.add(column); } else { scrolled.delete(column); }
  }, {capture: true, passive: true});
  function scrollNewTerritoryToTop() {
    const panel = document.getElementById("side-panel");
    if (!panel || panel.dataset.territory === territory) { return; }
    const first = territory === null;
    territory = panel.dataset.territory;
    const column = panel.closest(".panel-col");
    if (!first && column && scrolled.has(column)) { column.scrollTop = 0; }
  }

  new MutationObserver(function () { scrollNewTerritoryToTop(); restoreFocus(); showLinkedCard(); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
