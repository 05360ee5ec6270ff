// Rehber record forms: rows of e-mails and phones added and removed in place, a warning
// before "Cancel" throws typing away, focus that follows the user after htmx swaps a card,
// Escape to cancel an inline edit, and the type-ahead relation picker that enhances a
// server-rendered <select data-picker="…">. Everything works without this file, only less
// comfortably. Texts come from data- attributes the server rendered in the user's language.
(function () {
  "use strict";

  var FOCUSABLE = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled])';

  function bodyText(name, fallback) {
    return document.body.getAttribute(name) || fallback;
  }

  // ----- list rows (e-mails, phones) -----

  function renumber(fieldset) {
    var name = fieldset.getAttribute("data-list-field");
    var label = fieldset.getAttribute("data-label") || "";
    fieldset.querySelectorAll(".list-input").forEach(function (row, i) {
      var input = row.querySelector("input");
      var rowLabel = row.querySelector("label");
      if (!input) return;
      input.id = "f-" + name + "-" + i;
      if (rowLabel) {
        rowLabel.setAttribute("for", input.id);
        rowLabel.textContent = label + " " + (i + 1);
      }
    });
  }

  function addRow(fieldset) {
    var rows = fieldset.querySelectorAll(".list-input");
    var last = rows[rows.length - 1];
    if (!last) return;
    var row = last.cloneNode(true);
    row.classList.remove("has-error");
    row.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
    var input = row.querySelector("input");
    input.value = "";
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
    last.after(row);
    renumber(fieldset);
    input.focus();
    markDirty(input);
  }

  function removeRow(row) {
    var fieldset = row.closest("[data-list-field]");
    var rows = fieldset.querySelectorAll(".list-input");
    var input = row.querySelector("input");
    if (rows.length <= 1) {
      input.value = "";
      input.focus();
    } else {
      var prev = row.previousElementSibling || row.nextElementSibling;
      row.remove();
      renumber(fieldset);
      var target = prev && prev.querySelector("input");
      if (target) target.focus();
    }
    markDirty(fieldset);
  }

  // ----- unsaved typing -----

  function markDirty(el) {
    var form = el.closest("form");
    if (form && form.method.toLowerCase() === "post") form.setAttribute("data-dirty", "");
  }

  function cancelOf(form) {
    return form.querySelector("[data-cancel]");
  }

  function confirmDiscard(form) {
    if (!form || !form.hasAttribute("data-dirty")) return true;
    return window.confirm(bodyText("data-confirm-discard", "Discard your changes?"));
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target instanceof Element && !target.hasAttribute("data-picker-input")) markDirty(target);
  });
  document.addEventListener("change", function (event) {
    if (event.target instanceof Element) markDirty(event.target);
  });
  document.addEventListener("submit", function (event) {
    if (event.target instanceof HTMLFormElement) event.target.removeAttribute("data-dirty");
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var add = target.closest("[data-list-add]");
    if (add) {
      event.preventDefault();
      addRow(add.closest("[data-list-field]"));
      return;
    }
    var remove = target.closest("[data-list-remove]");
    if (remove) {
      event.preventDefault();
      removeRow(remove.closest(".list-input"));
      return;
    }
    var jump = target.closest('.form-summary a[href^="#f-"]');
    if (jump) {
      var field = document.getElementById(jump.getAttribute("href").slice(1));
      var shown = field && (document.getElementById(field.id + "-q") || field);
      if (shown) {
        event.preventDefault();
        shown.focus();
      }
      return;
    }
    var cancel = target.closest("[data-cancel]");
    if (cancel && !confirmDiscard(cancel.closest("form"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Leaving the page with unsaved typing in a full form.
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form.record-form[data-dirty]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // ----- keyboard -----

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var target = event.target instanceof Element ? event.target : null;
    var form = target && target.closest(".record-card form");
    var cancel = form && cancelOf(form);
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });

  // After htmx swaps a card: into its first field when it opens for editing (the first
  // field with an error after a refused save), back to its "Edit" button when it closes.
  document.addEventListener("htmx:afterSettle", function (event) {
    var card = event.detail && event.detail.elt;
    if (!(card instanceof Element) || !card.classList.contains("record-card")) return;
    var form = card.querySelector("form");
    if (form) {
      var field = form.querySelector('[aria-invalid="true"]') || form.querySelector(FOCUSABLE);
      if (field) field.focus();
    } else {
      var edit = card.querySelector(".card-header a, .card-header button");
      if (edit) edit.focus();
    }
    enhancePickers(card);
  });

  // A refused full-form save: the summary is read out first, its lines lead to the fields.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".form-summary");
    if (summary) {
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
    enhancePickers(document);
  });

  // ----- column chooser -----
  // Which columns a list shows is remembered in this browser, per list: a column the user
  // turned on stays even where the width would hide it, one turned off is gone.

  function columnKey(chooser) { return "rehber.columns." + chooser.getAttribute("data-columns"); }

  function columnState(chooser) {
    try { return JSON.parse(window.localStorage.getItem(columnKey(chooser)) || "{}"); } catch (e) { return {}; }
  }

  function applyColumns() {
    var chooser = document.querySelector("[data-columns]");
    if (!chooser) return;
    var state = columnState(chooser);
    chooser.querySelectorAll("[data-col-toggle]").forEach(function (box) {
      var key = box.getAttribute("data-col-toggle");
      var choice = state[key];
      if (choice !== undefined) box.checked = choice;
      document.querySelectorAll('[data-col="' + CSS.escape(key) + '"]').forEach(function (cell) {
        cell.hidden = choice === false;
        cell.classList.toggle("col-pinned", choice === true);
      });
    });
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-col-toggle")) return;
    var chooser = box.closest("[data-columns]");
    var state = columnState(chooser);
    state[box.getAttribute("data-col-toggle")] = box.checked;
    try { window.localStorage.setItem(columnKey(chooser), JSON.stringify(state)); } catch (e) { /* private mode */ }
    applyColumns();
  });
  document.addEventListener("htmx:afterSettle", applyColumns);
  document.addEventListener("DOMContentLoaded", function () {
    // A saved view just opened brings its columns: they become this browser's choice.
    var opened = document.querySelector("[data-view-columns]");
    var chooser = document.querySelector("[data-columns]");
    if (opened && chooser) {
      try {
        JSON.parse(opened.getAttribute("data-view-columns"));
        window.localStorage.setItem(columnKey(chooser), opened.getAttribute("data-view-columns"));
      } catch (e) { /* unreadable or private mode: the browser's own choice stays */ }
    }
    applyColumns();
  });
  // Saving a view saves the columns shown with it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-view-save")) return;
    var chooser = document.querySelector("[data-columns]");
    if (chooser && form.elements.columns) form.elements.columns.value = JSON.stringify(columnState(chooser));
  });

  // ----- relation picker -----

  function enhancePickers(root) {
    root.querySelectorAll("select[data-picker]").forEach(enhance);
    // The add and remove buttons of list rows need this file: shown only with it.
    root.querySelectorAll("[data-list-add], [data-list-remove]").forEach(function (b) { b.hidden = false; });
  }

  function enhance(select) {
    if (select.hasAttribute("data-picker-ready")) return;
    select.setAttribute("data-picker-ready", "");
    var source = select.getAttribute("data-picker");
    var param = select.getAttribute("data-picker-param") || "q";
    var listId = select.id + "-list";
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "-q";
    input.className = "picker-input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("data-picker-input", "");
    input.placeholder = select.getAttribute("data-picker-placeholder") || "";
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) label.setAttribute("for", input.id);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var empty = select.querySelector('option[value=""]');
    var emptyLabel = empty ? empty.textContent : "";
    var shown = function () {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.textContent : "";
    };
    input.value = shown();
    select.hidden = true;
    select.setAttribute("tabindex", "-1");
    select.after(input, list);
    var active = -1;
    var timer = null;
    var request = 0;

    function items() { return list.querySelectorAll('[role="option"]'); }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      var all = items();
      if (!all.length) return;
      active = (i + all.length) % all.length;
      all.forEach(function (item, n) { item.setAttribute("aria-selected", n === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(item) {
      pick(item.getAttribute("data-value") || "", item.textContent);
    }

    function pick(value, label) {
      var text = value ? label : "";
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === value; });
      if (!option) {
        option = new Option(label, value);
        select.add(option);
      }
      select.value = value;
      input.value = text;
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(options) {
      list.innerHTML = "";
      var all = [{ value: "", text: emptyLabel }].concat(options);
      all.forEach(function (o, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-value", o.value);
        li.textContent = o.text;
        if (!o.value) li.className = "picker-none";
        list.appendChild(li);
      });
      if (options.length === 0) {
        var none = document.createElement("li");
        none.className = "picker-empty";
        none.textContent = select.getAttribute("data-picker-empty") || "";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(options.length ? 1 : 0);
    }

    function search() {
      var mine = ++request;
      var url = source + (source.indexOf("?") < 0 ? "?" : "&") + param + "=" + encodeURIComponent(input.value.trim());
      fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (mine !== request) return;
          var doc = new DOMParser().parseFromString("<select>" + html + "</select>", "text/html");
          var options = Array.prototype.map.call(doc.querySelectorAll("option"), function (o) {
            return { value: o.value, text: o.textContent };
          }).filter(function (o) { return o.value; });
          show(options);
        })
        .catch(function () { /* the typed text stays; nothing chosen */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("focus", function () { input.select(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { search(); return; }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        // Enter picks; it never submits the form around the picker.
        event.preventDefault();
        var all = items();
        if (!list.hidden && all[active]) choose(all[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        event.stopPropagation();
        input.value = shown();
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(function () {
        if (list.contains(document.activeElement)) return;
        if (!input.value.trim()) {
          if (select.value) pick("", "");
        } else {
          input.value = shown();
        }
        close();
      }, 150);
    });
    list.addEventListener("mousedown", function (event) {
      var item = event.target instanceof Element && event.target.closest('[role="option"]');
      if (item) {
        event.preventDefault();
        choose(item);
      }
    });
  }
})();
