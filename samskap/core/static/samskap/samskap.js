/* Samskap's few lines of progressive enhancement; every page works without them.
   1. The main menu collapses behind a disclosure button on narrow screens.
   2. A table wider than its column scrolls inside its own labelled, focusable region
      (the accessible-tables pattern), so the page itself never gets wider than the screen. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUpMenu() {
    var button = document.getElementById("menu-toggle");
    var menu = document.getElementById("main-menu");
    if (!button || !menu) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
    });
  }

  var labelCount = 0;
  function labelFor(table) {
    var caption = table.querySelector("caption");
    if (caption) {
      if (!caption.id) caption.id = "table-caption-" + (++labelCount);
      return { by: caption.id };
    }
    var heading = table.closest(".table-scroll, table").previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    if (heading && heading.textContent.trim()) {
      if (!heading.id) heading.id = "table-heading-" + (++labelCount);
      return { by: heading.id };
    }
    return { text: document.documentElement.getAttribute("data-table-label") || "Table" };
  }

  function wrapTables(root) {
    var tables = (root || document).querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      var box = table.parentElement;
      if (!box.classList.contains("table-scroll")) {
        box = document.createElement("div");
        box.className = "table-scroll";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
      // Only a region that really scrolls becomes a tab stop: keyboard users can then
      // scroll it with the arrow keys, and narrow tables add no extra stops.
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("role")) {
          var label = labelFor(table);
          box.setAttribute("role", "region");
          if (label.by) box.setAttribute("aria-labelledby", label.by);
          else box.setAttribute("aria-label", label.text);
        }
        box.setAttribute("tabindex", "0");
      }
    });
  }

  // The error summary (GOV.UK pattern) takes the focus, so a screen reader reads it first and
  // the keyboard is one Tab from the first field with a problem.
  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary[data-focus]");
    if (summary) summary.focus();
  }

  function start() {
    setUpMenu();
    focusErrorSummary();
    wrapTables(document);
    document.body.addEventListener("htmx:afterSettle", function (event) { wrapTables(event.target); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  // A print button without inline script (the Content-Security-Policy allows none).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
})();
