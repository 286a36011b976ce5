/* Presenter keys, the key legend, and scrolling to a recommendation named in the URL hash.
   Keys queue the same actions as the page's buttons (actions.js), so a key does what a click does. */
(function () {
  "use strict";

  function presenting() { return document.body.classList.contains("presenting"); }
  function byId(id) { return document.getElementById(id); }
  function click(id) { const el = byId(id); if (el && !el.disabled) { el.click(); } }

  function act(action) { window.atlasActions.queue(action); }
  function zoom(direction) { if (window.atlasMap) { window.atlasMap.zoom(direction); } }

  // Cards out of sight are not laid out (atlas.css): lay them all out before scrolling to one. On a
  // phone, a card in the folded sheet opens the sheet first (assets/atlas/phone.js).
  function scrollToCard(card) {
    const panel = card.closest("#side-panel");
    if (panel) { panel.classList.add("laid-out"); }
    const sheet = card.closest(".panel-col.sheet-collapsed"), unfold = document.getElementById("sheet-toggle");
    if (sheet && unfold) { unfold.click(); }
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

  // A link such as "also recommended in Italy, No. 11" ends in #rec-<id>: show that card once it is drawn,
  // and again when it is drawn anew (React's page taking over the first HTML's, a phone's sheet folded again).
  let shown = "", shownCard = null, shownColumn = null;
  function showLinkedCard() {
    const key = window.location.search + window.location.hash;
    if (!window.location.hash.startsWith("#rec-")) { shown = ""; return; }  // the same link may be followed again
    const card = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    const column = card && card.closest(".panel-col");  // React's page takes the first HTML's cards into its own column
    if (key === shown && card === shownCard && column === shownColumn) { return; }
    if (card) {
      shown = key;
      shownCard = card;
      shownColumn = column;
      document.querySelectorAll("#side-panel .rec-card.current").forEach(c => c.classList.remove("current"));
      card.classList.add("current");
      scrollToCard(card);
    }
  }

  // Presenter mode makes the panel's column the one that scrolls: a card named by the address is shown
  // again in it (callbacks.js says when the mode changes).
  document.addEventListener("atlas-presenting", function () { shown = ""; showLinkedCard(); });

  // A new territory (or the overview) starts at the top of the panel, not in the middle of the last one's
  // cards: its column goes back to its top (a phone's sheet, the presenter's column), or else the window
  // up to the panel's top. Where things are scrolled is learnt from their scroll events: reading or
  // writing a scroll position lays the page out, and the new panel is being drawn. So nothing is read
  // nor written unless something was scrolled, and the window's place is read once the panel is drawn.
  let territory = null;
  const scrolled = new WeakSet();  // columns scrolled away from their top
  let windowScrolled = false;
  document.addEventListener("scroll", function (event) {
    const target = event.target;
    if (target === document) { windowScrolled = window.scrollY > 0; return; }
    if (!target.classList || !target.classList.contains("panel-col")) { return; }
    if (target.scrollTop > 0) { scrolled.add(target); } else { scrolled.delete(target); }
  }, {capture: true, passive: true});
  function scrollNewTerritoryToTop() {
    const panel = document.getElementById("side-panel");
    if (!panel || panel.dataset.territory === territory) { return; }
    const first = territory === null;
    territory = panel.dataset.territory;
    if (first) { return; }
    const column = panel.closest(".panel-col");
    // a column that no longer scrolls (presenter mode left, a phone's window widened) sends no event:
    // it is forgotten here, and its next scroll event names it again
    if (column && scrolled.delete(column)) { column.scrollTop = 0; }
    if (windowScrolled) {
      requestAnimationFrame(() => setTimeout(function () {
        // someone choosing from the list of territories keeps their place in it
        const inList = document.activeElement && document.activeElement.closest && document.activeElement.closest("#territory-list");
        const top = panel.isConnected && !inList ? panel.getBoundingClientRect().top : 0;
        if (top < 0) { window.scrollBy({top: top, behavior: "instant"}); }
      }, 0));
    }
  }

  new MutationObserver(function () { scrollNewTerritoryToTop(); restoreFocus(); showLinkedCard(); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
