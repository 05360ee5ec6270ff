// Rehber's small behaviours, by event delegation (the CSP forbids inline scripts).
// Loaded in <head> without `defer` so the stored theme applies before the first paint.
//
//   data-theme-toggle          button: switch light/dark (stored in localStorage)
//   data-toggle-nav            button: open/close the sidebar on phones
//   data-confirm="Text"        button, link or form: ask before submitting/following
//   data-copy="#id"            button: copy an input's value (or an element's text)
//   data-copy-text="…"         button: copy this text
//   data-select-all="name"     checkbox: (un)check every checkbox named `name` in its form/table
//   data-select-on-focus       input: select its content on focus (one-time secrets)
//   data-back                  button: go back in history
//   data-autosubmit            select/checkbox: submit its form on change
//   data-search-shortcut       input: focused by the / key anywhere but in a field
//   .toast                     removed after a few seconds; htmx errors show a toast
(function () {
  "use strict";
  var KEY = "rehber-theme";
  var root = document.documentElement;

  function storedTheme() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function applyTheme(theme) {
    root.setAttribute("data-theme", theme === "light" || theme === "dark" ? theme : "auto");
  }
  applyTheme(storedTheme());

  function effectiveTheme() {
    var t = root.getAttribute("data-theme");
    if (t === "light" || t === "dark") return t;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function toast(text, kind) {
    var area = document.getElementById("toasts");
    if (!area) {
      area = document.createElement("div");
      area.id = "toasts";
      area.className = "toasts";
      area.setAttribute("aria-live", "polite");
      document.body.appendChild(area);
    }
    var el = document.createElement("div");
    el.className = "toast" + (kind ? " toast-" + kind : "");
    el.setAttribute("role", kind === "error" ? "alert" : "status");
    el.textContent = text;
    area.appendChild(el);
    window.setTimeout(function () { el.remove(); }, kind === "error" ? 8000 : 3500);
  }
  window.rehberToast = toast;

  function copy(text, button) {
    var done = function () { toast(document.body.getAttribute("data-copied") || "Copied"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { legacyCopy(text); done(); });
    } else {
      legacyCopy(text);
      done();
    }
    if (button) button.focus();
  }
  function legacyCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    area.remove();
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;

    var themeButton = target.closest("[data-theme-toggle]");
    if (themeButton) {
      var next = effectiveTheme() === "dark" ? "light" : "dark";
      applyTheme(next);
      try { window.localStorage.setItem(KEY, next); } catch (e) { /* private mode */ }
      return;
    }

    var navButton = target.closest("[data-toggle-nav]");
    if (navButton) {
      var app = navButton.closest(".app");
      if (app) {
        var open = app.classList.toggle("nav-open");
        navButton.setAttribute("aria-expanded", open ? "true" : "false");
      }
      return;
    }

    var copyButton = target.closest("[data-copy], [data-copy-text]");
    if (copyButton) {
      event.preventDefault();
      var text = copyButton.getAttribute("data-copy-text");
      if (text === null) {
        var source = document.querySelector(copyButton.getAttribute("data-copy"));
        if (source) text = "value" in source ? source.value : source.textContent;
      }
      if (text) copy(text, copyButton);
      return;
    }

    if (target.closest("[data-back]")) {
      event.preventDefault();
      if (window.history.length > 1) window.history.back(); else window.location.href = "/";
      return;
    }

    // Confirmation on a link or button (forms are handled on submit).
    var confirmable = target.closest("a[data-confirm], button[data-confirm]");
    if (confirmable && !window.confirm(confirmable.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }
  }, true);

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
    if (target.hasAttribute("data-select-all")) {
      var name = target.getAttribute("data-select-all");
      var scope = target.closest("form, table") || document;
      scope.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
        box.checked = target.checked;
        var row = box.closest("tr");
        if (row) row.classList.toggle("is-selected", box.checked);
      });
      document.body.classList.toggle("rows-selected", target.checked);
      // More may match than the page shows: offer all of them.
      var offer = document.querySelector("[data-bulk-all]");
      if (offer) offer.hidden = !target.checked;
      if (!target.checked) selectMatching(false);
      return;
    }
    if (target.type === "checkbox") {
      var tr = target.closest("tbody tr");
      if (tr) tr.classList.toggle("is-selected", target.checked);
    }
    if (target.type === "checkbox" && target.name === "ids" && !target.checked) selectMatching(false);
    if (target.type === "checkbox" && target.name === "ids") {
      var any = document.querySelector('input[type="checkbox"][name="ids"]:checked') !== null;
      document.body.classList.toggle("rows-selected", any);
    }
    if (target.hasAttribute("data-autosubmit") && target.form) {
      if (typeof target.form.requestSubmit === "function") target.form.requestSubmit(); else target.form.submit();
    }
  });

  // "Select all N matching": the bulk form acts on the list's filters instead of the rows.
  function selectMatching(on) {
    var field = document.querySelector("[data-all-matching]");
    if (field) field.value = on ? "1" : "";
    var page = document.querySelector("[data-bulk-page]");
    var all = document.querySelector("[data-bulk-matching]");
    var button = document.querySelector("[data-select-matching]");
    if (page) page.hidden = on;
    if (button) button.hidden = on;
    if (all) all.hidden = !on;
  }
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("[data-select-matching]");
    if (button) { event.preventDefault(); selectMatching(true); }
  });

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-select-on-focus")) {
      target.select();
    }
  });

  // htmx does not swap error responses: tell the user what happened instead.
  document.addEventListener("htmx:responseError", function (event) {
    var message = null;
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.responseText) {
      try {
        var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var el = doc.querySelector("[data-error-message]");
        if (el) message = el.getAttribute("data-error-message");
      } catch (e) { /* not HTML */ }
    }
    toast(message || document.body.getAttribute("data-error-generic") || "Error", "error");
  });
  document.addEventListener("htmx:sendError", function () {
    toast(document.body.getAttribute("data-error-generic") || "Error", "error");
  });

  // "/" jumps to the search box, as in most web applications, unless the user is typing.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.querySelector("[data-search-shortcut]");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // Toasts rendered by the server fade out like the ones made here.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".toast").forEach(function (el) {
      window.setTimeout(function () { el.remove(); }, 5000);
    });
  });
})();
