/* The user's actions, numbered and queued until the page shows them (dashboard/actions.py).
   Every element with a data-action attribute sends its action when clicked (or pressed with Enter or
   Space). The whole queue goes with each request, so a request that overtakes a slower one still
   carries that one's actions: quick presses are never lost. */
(function () {
  "use strict";

  let seq = 0;      // the last action queued
  let shown = 0;    // the last action the page holds
  let queue = [];

  function send() {
    window.dash_clientside.set_props("actions", {data: {seq: seq, items: queue}});
  }

  window.atlasActions = {
    queue: function (action) {
      seq += 1;
      queue = queue.filter(a => a.seq > shown).concat([Object.assign({}, action, {seq: seq})]);
      send();
    },
    // the page now holds every action up to n (the server's answer, or a new page for a URL)
    shown: function (n) {
      if (typeof n === "number" && n > shown) { shown = n; queue = queue.filter(a => a.seq > shown); }
    },
  };

  document.addEventListener("click", function (event) {
    const el = event.target.closest && event.target.closest("[data-action]");
    if (!el || el.disabled || el.getAttribute("aria-disabled") === "true") { return; }
    // a link opened in a new tab or window follows its href instead
    if (el.tagName === "A" && (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)) { return; }
    event.preventDefault();
    window.atlasActions.queue(JSON.parse(el.dataset.action));
  });

  // The CSV link was written at the last answer: give it the search as typed, even if not yet sent.
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("#download-view");
    const search = document.getElementById("search");
    if (!link || !search) { return; }
    const url = new URL(link.href, window.location.href);
    const q = search.value.split(/\s+/).filter(Boolean).join(" ");
    if (q) { url.searchParams.set("q", q); } else { url.searchParams.delete("q"); }
    link.href = url.pathname + url.search;
  }, true);
})();
