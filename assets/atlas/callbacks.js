/* The page's clientside callbacks (dashboard/app.py names them with ClientsideFunction("atlas", ...)). */
(function () {
  "use strict";

  const noUpdate = () => window.dash_clientside.no_update;
  const lastSeen = {};  // answered: each input's value when last seen

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.atlas = Object.assign(window.dash_clientside.atlas || {}, {
    // What an answer changed (dashboard/app.py), in one call: Dash's lifecycle of each callback it runs
    // costs the page ~6 updates of its state. Each part runs when its input is a new value: an answer's,
    // or a page drawn anew's (its stores are new), as each had a callback of its own before.
    answered: function (view, islands, applied, mapAnswer) {
      const atlas = window.dash_clientside.atlas;
      const changed = (name, value) => {
        const is = !(name in lastSeen) || lastSeen[name] !== value;
        lastSeen[name] = value;
        return is;
      };
      // the islands first: the view's presenter mode shows a card an address names (keys.js)
      const drawn = changed("islands", islands) ? atlas.drawIslands(islands) : noUpdate();
      if (changed("view", view)) {
        atlas.followView(view);
        const follow = window.dash_clientside.follow;  // the follow bar and the presenter's room (follow.js)
        if (follow) { follow.viewChanged(view); }
      }
      if (changed("map", mapAnswer)) { atlas.drawMap(mapAnswer); }
      if (changed("applied", applied)) { atlas.shown(applied); }
      return drawn;
    },

    // (part of answered) The URL follows the view (replaced after a route, pushed after a user action),
    // and presenter mode styles the whole body, which the keys also read; <html lang> and the title follow.
    followView: function (view) {
      if (!view) { return; }
      if (window.atlasActions) { window.atlasActions.showing(view.query); }
      document.documentElement.lang = view.lang;
      document.title = view.title;
      if (document.body.classList.contains("presenting") !== Boolean(view.present)) {
        document.body.classList.toggle("presenting", Boolean(view.present));
        window.dispatchEvent(new Event("resize"));  // plotly refits the map to its new frame
        document.dispatchEvent(new CustomEvent("atlas-presenting"));  // keys.js: a linked card, in its new column
      }
      const target = view.query ? "?" + view.query : window.location.pathname;
      const link = Boolean(window.atlasActions && window.atlasActions.answersLink(view.applied));
      if ((view.query ? "?" + view.query : "") !== window.location.search) {
        if (view.replace) { window.history.replaceState({}, "", target); }
        else if (link) { window.history.replaceState({}, "", target + window.location.hash); }  // a #rec- card stays named
        else { window.history.pushState({}, "", target); }
        window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
      }
    },

    // A map click is a queued action like any other; clearing clickData lets the same territory be
    // clicked again.
    mapClick: function (click) {
      const point = click && click.points && click.points[0];
      const code = point && (point.location || point.customdata);
      if (typeof code === "string") { window.atlasActions.queue({kind: "territory", code: code}); }
      return null;
    },

    // The queue learns which actions the page holds.
    shown: function (n) {
      if (window.atlasActions) { window.atlasActions.shown(n); }
    },

    // the picture is composed in map.js: the map on white, with its title, filters, source and date
    exportPng: function (n) {
      if (n && window.atlasMap) { window.atlasMap.exportPng(); }
    },
  });
})();
