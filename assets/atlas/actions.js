/* The user's actions, numbered and queued until the page shows them (dashboard/actions.py).
   An action is: a click on an element with a data-action attribute (or Enter or Space on it), a
   presenter key, a map pick, a filter control changed by the user, or a new URL from Back, Forward
   or a link inside the page. The whole queue goes with each request, so a request that overtakes a
   slower one still carries that one's actions: quick presses are never lost, nor reordered. */
(function () {
  "use strict";

  let seq = 0;         // the last action queued
  let shown = 0;       // the last action the page holds
  let shownQuery = null;  // the URL query of the view on screen
  let queue = [];
  let waiting = [];    // what must wait until the page shows every queued action
  const settled = () => shown >= seq;

  function send() {
    window.dash_clientside.set_props("actions", {data: {items: queue}});
  }

  window.atlasActions = {
    // a click that opens a link in another tab or window (a modifier key, a button other than the
    // first): the link follows its href, not the page's own handling
    elsewhere: function (event) {
      return event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;
    },
    queue: function (action) {
      seq += 1;
      queue = queue.filter(a => a.seq > shown).concat([Object.assign({}, action, {seq: seq})]);
      document.dispatchEvent(new CustomEvent("atlas-action", {detail: action}));  // follow.js: the user's own move
      send();
    },
    // the page now holds every action up to n
    shown: function (n) {
      if (typeof n === "number" && n > shown) { shown = n; queue = queue.filter(a => a.seq > shown); }
      if (settled()) { setTimeout(showChoices, 0); }  // a pick the page did not take goes back to the page's
      if (settled() && waiting.length) {
        const run = waiting;
        waiting = [];
        setTimeout(() => run.forEach(f => f()), 0);  // after the answer is drawn
      }
    },
    // the URL query of the view on screen
    showing: function (query) { shownQuery = query; },
    // run now, or once the page shows every action queued so far (at most 3 s later: a lost answer)
    whenSettled: function (f) {
      if (settled()) { f(); return; }
      waiting.push(f);
      const target = seq;
      setTimeout(() => { if (shown < target && waiting.includes(f)) { waiting = waiting.filter(g => g !== f); f(); } }, 3000);
    },
  };
  const act = window.atlasActions.queue;

  // A list shows the choice the page holds, in its data-value (React leaves a <select>'s value to the
  // browser): when a list is drawn, when the page changes its data-value, and once the page shows every
  // queued action. Not in between, so that a pick still on its way stays on screen.
  function showChoices() {
    document.querySelectorAll("select[data-value]").forEach(function (list) {
      if (list.value !== list.dataset.value) { list.value = list.dataset.value; }
    });
  }
  function holdsList(node) {
    return node.nodeType === 1 && (node.tagName === "SELECT" || node.tagName === "OPTION" || node.querySelector("select"));
  }
  new MutationObserver(function (records) {
    if (records.some(r => r.type === "attributes" || [...r.addedNodes].some(holdsList))) { showChoices(); }
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-value"]});
  showChoices();

  document.addEventListener("click", function (event) {
    const el = event.target.closest && event.target.closest("[data-action]");
    if (!el || el.disabled || el.getAttribute("aria-disabled") === "true") { return; }
    // a link opened in a new tab or window follows its href instead
    if (el.tagName === "A" && window.atlasActions.elsewhere(event)) { return; }
    event.preventDefault();
    act(JSON.parse(el.dataset.action));
  });

  // Filter controls, as the user changes them (not as the page redraws them). Which control sets which
  // view parameter is the page's own map (data-controls, from dashboard/state.py).
  function controlOf(el) {
    const holder = document.querySelector("[data-controls]");
    const controls = holder ? JSON.parse(holder.dataset.controls) : {};
    for (let node = el; node && node !== document; node = node.parentNode) {
      if (node.id && Object.prototype.hasOwnProperty.call(controls, node.id)) { return controls[node.id]; }
    }
    return null;
  }
  function isText(el) { return el.tagName === "INPUT" && (el.type === "search" || el.type === "text"); }

  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.tagName === "SELECT" && target.dataset.pick) {  // a list whose choice is an action (data-pick)
      act(Object.assign(JSON.parse(target.dataset.pick), {code: target.value}));
      return;
    }
    const name = controlOf(target);
    if (!name) { return; }
    if (isText(target)) { commitSearch(target, name); return; }
    if (target.type === "checkbox") {
      // this box only: the other boxes may not show yet what queued actions did to the filter
      act({kind: "tick", name: name, value: target.value, on: target.checked});
    } else {
      act({kind: "set", name: name, value: target.value});
    }
  });

  // A text box counts when it is sent (Enter), when it loses focus, or when its × empties it.
  const committed = new Map();
  function commitSearch(box, name) {
    if (committed.get(box.id) === box.value) { return; }
    committed.set(box.id, box.value);
    act({kind: "set", name: name, value: box.value});
  }
  function textControl(el) { return isText(el) ? controlOf(el) : null; }
  document.addEventListener("input", function (event) { if (textControl(event.target)) { committed.delete(event.target.id); } });
  document.addEventListener("keydown", function (event) {
    const name = event.key === "Enter" && textControl(event.target);
    if (name) { commitSearch(event.target, name); }
  });
  document.addEventListener("search", function (event) {  // the × of a search box; this event does not bubble
    const name = textControl(event.target);
    if (name && event.target.value === "") { commitSearch(event.target, name); }
  }, true);

  // Back and Forward: the new URL's view. A link inside the page (which pushes its URL): its view, in
  // the same presenter mode and tour unless it names them; its answer replaces the entry the link pushed.
  let linkSeq = 0;
  function followUrl(kind) {
    const query = window.location.search.replace(/^\?/, "");
    if (shownQuery !== null && query !== shownQuery) {
      act({kind: kind, query: query});
      if (kind === "link") { linkSeq = seq; }
    }
  }
  window.addEventListener("popstate", () => followUrl("url"));
  window.addEventListener("_dashprivate_pushstate", () => followUrl("link"));
  // true once, for the first view that holds the link followed last: its URL is already in the address bar
  window.atlasActions.answersLink = function (applied) {
    if (!linkSeq || typeof applied !== "number" || applied < linkSeq) { return false; }
    linkSeq = 0;
    return true;
  };

  // The CSV link is written with each answer: wait for the answer to the actions still queued, and
  // give it the search as typed, even if not yet sent.
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("#download-view");
    const search = document.getElementById("search");
    if (!link || !search) { return; }
    if (!settled()) {
      event.preventDefault();
      window.atlasActions.whenSettled(() => { const again = document.getElementById("download-view"); if (again) { again.click(); } });
      return;
    }
    const url = new URL(link.href, window.location.href);
    const q = search.value.split(/\s+/).filter(Boolean).join(" ");
    if (q) { url.searchParams.set("q", q); } else { url.searchParams.delete("q"); }
    link.href = url.pathname + url.search;
  }, true);
})();
