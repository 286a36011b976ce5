/* Below 768 px: the filters drawer behind #filters-toggle, and the bottom sheet that #sheet-toggle folds
   down to its summary. Both are buttons, so a tap, Enter and Space all work. The page's callbacks never
   change what these set (a class and aria-expanded), so a redrawn panel keeps the sheet as the reader left it. */
(function () {
  "use strict";
  const PHONE = window.matchMedia("(max-width: 767.98px)");
  let backdrop = null;

  const drawer = () => document.getElementById("filters-drawer");
  const isOpen = () => Boolean(drawer() && drawer().classList.contains("show"));

  function focusable(root) {
    return [...root.querySelectorAll("button, a[href], input, select, textarea, [tabindex]:not([tabindex='-1'])")]
      .filter(el => !el.disabled && el.getClientRects().length);
  }

  function openDrawer() {
    const panel = drawer();
    if (!panel || !PHONE.matches) { return; }
    panel.classList.add("show");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    panel.setAttribute("aria-labelledby", "filters-drawer-title");
    document.getElementById("filters-toggle").setAttribute("aria-expanded", "true");
    backdrop = document.createElement("div");
    backdrop.className = "offcanvas-backdrop fade show";
    backdrop.addEventListener("click", closeDrawer);
    document.body.appendChild(backdrop);
    document.body.classList.add("drawer-open");
    const close = document.getElementById("filters-close");
    if (close) { close.focus(); }
  }

  function closeDrawer() {
    const panel = drawer();
    if (backdrop) { backdrop.remove(); backdrop = null; }
    document.body.classList.remove("drawer-open");
    if (!panel || !panel.classList.contains("show")) { return; }
    panel.classList.remove("show");
    ["role", "aria-modal", "aria-labelledby"].forEach(name => panel.removeAttribute(name));
    const toggle = document.getElementById("filters-toggle");
    if (toggle) {
      toggle.setAttribute("aria-expanded", "false");
      if (PHONE.matches) { toggle.focus(); }
    }
  }

  function toggleSheet(button) {
    const open = button.getAttribute("aria-expanded") !== "false";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    const column = button.closest(".panel-col");
    if (column) { column.classList.toggle("sheet-collapsed", open); }
  }

  document.addEventListener("click", function (event) {
    const target = event.target.closest ? event.target : null;
    if (!target) { return; }
    if (target.closest("#filters-toggle")) { openDrawer(); }
    else if (target.closest("#filters-close")) { closeDrawer(); }
    else if (target.closest("#sheet-toggle")) { toggleSheet(target.closest("#sheet-toggle")); }
  });

  // Escape closes the drawer (before the presenter keys see it); Tab stays inside it while it is open.
  document.addEventListener("keydown", function (event) {
    if (!isOpen()) { return; }
    if (event.key === "Escape") {
      event.stopPropagation();
      event.preventDefault();
      closeDrawer();
    } else if (event.key === "Tab") {
      const items = focusable(drawer());
      if (!items.length) { return; }
      const first = items[0], last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    }
  }, true);

  // Widened to a tablet or desktop, the filters are a column again.
  PHONE.addEventListener("change", function () { if (!PHONE.matches) { closeDrawer(); } });
})();
