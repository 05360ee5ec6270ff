// Repeated rows of a form (the quote editor's lines, a price list's prices): a row added in
// place as a copy of the last, emptied, and a row removed; after either, the form's htmx
// trigger runs again (the quote editor asks for its running total). Without this file the
// forms still work with the rows the server rendered.
(function () {
  "use strict";

  function changed(form) {
    if (form && window.htmx && form.hasAttribute("hx-post")) window.htmx.trigger(form, "change");
  }

  function empty(row) {
    row.classList.remove("has-error");
    row.querySelectorAll(".row-error").forEach(function (e) { e.remove(); });
    row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    row.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
  }

  function addRow(container) {
    var rows = container.querySelectorAll("[data-row]");
    var last = rows[rows.length - 1];
    if (!last) return;
    var row = last.cloneNode(true);
    empty(row);
    var legend = row.querySelector("legend");
    if (legend) legend.textContent = legend.textContent.replace(/\d+$/, String(rows.length + 1));
    last.after(row);
    var first = row.querySelector("select, input");
    if (first) first.focus();
  }

  function removeRow(row) {
    var container = row.parentElement;
    var form = row.closest("form");
    if (container.querySelectorAll("[data-row]").length <= 1) empty(row);
    else row.remove();
    changed(form);
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-row-add]");
    if (add) {
      var form = add.closest("form");
      var container = form && form.querySelector("[data-rows]");
      if (container) addRow(container);
      return;
    }
    var remove = event.target.closest("[data-row-remove]");
    if (remove) {
      var row = remove.closest("[data-row]");
      if (row) removeRow(row);
    }
  });
})();
