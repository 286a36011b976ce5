/* Following the presenter live (dashboard/follow.py).

   The presenter's page, in presenter mode, sends each view it shows to its room: one request at a
   time, the latest view winning; leaving presenter mode tells the room the presentation ended. The
   room's secret travels in an HttpOnly cookie that this script never sees.

   A page opened with `room=<code>` follows: it opens the room's stream (`/follow/stream/<code>`, server-sent
   events, dashboard/stream.py), which sends the room at once and then each change; the browser opens it
   again by itself when it ends. When the server has no stream left for it (an event `poll`) or refuses
   it, the page asks the room every 1.5 s instead, naming the ETag of its last answer (`seen=`), so that
   an unchanged room answers an empty 200 on the same connection, and tries the stream again a minute
   later. It shows each new view as Back or Forward would, through the action queue (actions.js), in its
   own language. Any action of the user's own (a tap on a territory, a filter, a key; not a language
   switch) stops following, and the page stops listening; "Follow the presenter" (#follow-again) listens
   again and catches up. #follow-status says which, with data-following="true" or "false". */
(function () {
  "use strict";

  const CODE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{7}$/;
  // polling, a change reaches the phone at most 1.5 s (+ the server's copy, 0.25 s) plus two round trips
  // after the presenter's page (dashboard/follow.py POLL_SECONDS); streaming, at most a quarter of a second
  // (dashboard/stream.py WATCH_SECONDS) plus one trip
  const POLL_MS = 1500;
  const QUIET_MS = 5000;  // between polls once the room is unknown, or the server unreachable
  const STREAM_AGAIN_MS = 60000;  // polling, after the server had no stream for this page: try it again

  // --- the follower ---
  let room = null;
  let state = "off";          // following | stopped | ended | unknown | invalid | off
  let wasFollowing = false;   // before the presentation ended
  let etag = null;
  let presenterQuery = null;  // the presenter's latest view
  let shownQuery = null;      // the presenter's view this page last asked for
  let ours = false;           // the action being queued is this script's
  let ready = false;          // the page shows a view: actions can be queued
  let source = null;          // the room's stream, while this page listens to it
  let polls = 0;              // the current run of polls (a new run ends the one before)
  let retry = null;           // the timer that tries the stream again

  function readRoom() {
    let raw = new URLSearchParams(window.location.search).get("room");
    let resumed = false;
    if (raw === null) {
      // a reload keeps following (the address bar no longer names the room once the view is shown)
      const navigation = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
      if (navigation && navigation.type === "reload") {
        try { raw = window.sessionStorage.getItem("atlas-follow-room"); resumed = raw !== null; } catch (e) { raw = null; }
      }
    }
    if (raw === null) { return; }
    const code = raw.trim().toUpperCase();
    if (CODE.test(code)) {
      room = code;
      state = "following";
      try { window.sessionStorage.setItem("atlas-follow-room", code); } catch (e) { /* private mode */ }
    } else if (!resumed) {
      state = "invalid";
    }
  }

  function withOwnLanguage(query) {
    const params = new URLSearchParams(query);
    params.set("lang", document.documentElement.lang || "en");
    return params.toString();
  }

  function catchUp() {
    if (!ready || state !== "following" || presenterQuery === null || presenterQuery === shownQuery) { return; }
    shownQuery = presenterQuery;
    ours = true;
    try { window.atlasActions.queue({kind: "url", query: withOwnLanguage(presenterQuery)}); } finally { ours = false; }
  }

  function receive(answer) {
    if (answer.status === "unknown") {
      state = "unknown";
      try { window.sessionStorage.removeItem("atlas-follow-room"); } catch (e) { /* private mode */ }
    } else if (answer.status === "ended") {
      if (typeof answer.query === "string" && answer.query) { presenterQuery = answer.query; }
      catchUp();  // the last view, if this page has not shown it yet
      if (state === "following" || state === "stopped") { wasFollowing = state === "following"; state = "ended"; }
    } else if (answer.status === "live") {
      presenterQuery = typeof answer.query === "string" ? answer.query : presenterQuery;
      if (state === "ended" || state === "unknown") { state = wasFollowing ? "following" : "stopped"; }
      catchUp();
    }
    show();
  }

  // --- listening: the stream, else polls ---
  function listen() {
    quiet();
    if (!room || state === "stopped" || state === "invalid") { return; }
    if (typeof window.EventSource !== "function") { poll(polls); return; }
    const stream = new EventSource("/follow/stream/" + room);
    source = stream;
    stream.onmessage = function (event) {
      let answer = null;
      try { answer = JSON.parse(event.data); } catch (e) { return; }
      if (!answer || typeof answer !== "object") { return; }
      etag = event.lastEventId || etag;
      if (answer.status === "unknown") {  // no such room: the stream ended; ask now and then, as polls do
        stream.close();
        source = null;
        setTimeout(poll, QUIET_MS, polls);
      }
      receive(answer);
    };
    // no stream left on the server for this page, or a stream the browser gave up on (an error answer):
    // poll; a stream that merely ended is opened again by the browser itself
    const insteadPoll = function () {
      if (source !== stream) { return; }
      quiet();
      poll(polls);
      retry = setTimeout(listen, STREAM_AGAIN_MS);
    };
    stream.addEventListener("poll", insteadPoll);
    stream.onerror = function () { if (stream.readyState === EventSource.CLOSED) { insteadPoll(); } };
  }

  function quiet() {  // no stream, no polls
    if (source) { source.close(); source = null; }
    clearTimeout(retry);
    polls += 1;
  }

  function poll(run) {
    if (!room || run !== polls) { return; }
    let wait = POLL_MS;
    fetch("/follow/room/" + room + (etag ? "?seen=" + encodeURIComponent(etag) : ""),
          {cache: "no-store", credentials: "omit"})
      .then(function (response) {
        if (!response.ok) { wait = QUIET_MS; return null; }
        const tag = response.headers.get("ETag");
        if (tag !== null && tag === etag) {  // unchanged: an empty answer
          if (state === "unknown" || etag === '"unavailable"') { wait = QUIET_MS; }
          return null;
        }
        etag = tag;
        return response.json();
      })
      .then(function (answer) {
        if (!answer || typeof answer !== "object") { return; }
        if (answer.status === "unknown" || answer.status === "unavailable") { wait = QUIET_MS; }
        receive(answer);
      })
      .catch(function () { wait = QUIET_MS; })  // offline for a moment: the view stays, and we ask again
      .then(function () { setTimeout(poll, wait, run); });
  }

  // The user's own move stops following; a language switch keeps it.
  document.addEventListener("atlas-action", function (event) {
    const action = event.detail || {};
    if (ours || action.kind === "lang" || state !== "following") { return; }
    state = "stopped";
    quiet();
    show();
  });

  document.addEventListener("click", function (event) {
    if (!(event.target.closest && event.target.closest("#follow-again"))) { return; }
    event.preventDefault();
    state = "following";
    shownQuery = null;  // whatever the page shows now, show the presenter's view...
    presenterQuery = null;  // ...as the room tells it now
    etag = null;
    show();
    listen();
  });

  function show() {
    const bar = document.getElementById("follow-bar");
    const status = document.getElementById("follow-status");
    const again = document.getElementById("follow-again");
    if (!bar || !status || !again) { return; }
    const text = bar.getAttribute("data-text-" + state);
    bar.hidden = state === "off";
    bar.setAttribute("data-state", state);
    if (text !== null && status.textContent !== text) { status.textContent = text; }
    status.setAttribute("data-following", state === "following" ? "true" : "false");
    again.hidden = state !== "stopped";
  }

  // A new language draws the page anew, follow bar included: show the state again on it.
  new MutationObserver(function () {
    const bar = document.getElementById("follow-bar");
    if (bar && bar.getAttribute("data-state") !== state) { show(); }
  }).observe(document.documentElement, {childList: true, subtree: true});

  // --- the presenter ---
  let presenting = false;
  let sending = false;
  let next = null;  // the latest view waiting to be sent

  function send() {
    if (sending || next === null) { return; }
    const body = next;
    next = null;
    sending = true;
    fetch("/follow/publish", {method: "POST", credentials: "same-origin", cache: "no-store",
                              headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})
      .catch(function () { /* the next view will try again */ })
      .then(function () { sending = false; send(); });
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.follow = {
    viewChanged: function (view) {
      if (!view) { return; }
      if (!ready) { ready = true; setTimeout(catchUp, 0); }  // a view the room sent before the page was up
      if (view.present) {
        presenting = true;
        next = {live: true, query: view.query || ""};
        send();
      } else if (presenting) {
        presenting = false;
        next = {live: false};
        send();
      }
      show();
    },
  };

  readRoom();
  listen();
})();
