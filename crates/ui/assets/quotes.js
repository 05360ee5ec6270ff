// The quote editor: lines added and removed in place (a new line is a copy of the last,
// emptied), and the running total asked for again after each change (htmx posts the form
// to /quotes/preview; removing a line is a change too). Without this file the editor still
// works with the lines the server rendered.
(function () {
  "use strict";

  function refresh(form) {
    if (window.htmx) window.htmx.trigger(form, "change");
  }

  function addLine(container) {
    var lines = container.querySelectorAll("[data-quote-line]");
    var last = lines[lines.length - 1];
    if (!last) return;
    var line = last.cloneNode(true);
    line.classList.remove("has-error");
    line.querySelectorAll(".quote-line-error").forEach(function (e) { e.remove(); });
    line.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    line.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
    var legend = line.querySelector("legend");
    if (legend) legend.textContent = legend.textContent.replace(/\d+$/, String(lines.length + 1));
    last.after(line);
    var first = line.querySelector("select, input");
    if (first) first.focus();
  }

  function removeLine(line) {
    var container = line.parentElement;
    var form = line.closest("form");
    if (container.querySelectorAll("[data-quote-line]").length <= 1) {
      line.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      line.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
    } else {
      line.remove();
    }
    if (form) refresh(form);
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-quote-add]");
    if (add) {
      var form = add.closest("form");
      var container = form && form.querySelector("[data-quote-lines]");
      if (container) addLine(container);
      return;
    }
    var remove = event.target.closest("[data-quote-remove]");
    if (remove) {
      var line = remove.closest("[data-quote-line]");
      if (line) removeLine(line);
    }
  });
})();
