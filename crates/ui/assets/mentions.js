// The @ autocomplete of the comment composer: typing "@" and the start of a name in a
// textarea[data-mentions] asks the server (data-mentions is the address) for the users who
// can see the record, and shows them under the field. Choosing one (click, Enter or Tab)
// writes "@Name " into the text and adds the user's id to the form as a hidden "mentions"
// input, shown as a chip. On submit, a chip whose "@Name" is no longer in the text is
// dropped. The server checks every mention again.
(function () {
  "use strict";

  var pending = null;

  function box(area) {
    return area.closest(".field").querySelector(".mention-box");
  }

  // The "@word" just before the caret, or null.
  function typedMention(area) {
    var before = area.value.slice(0, area.selectionStart);
    var match = /(^|\s)@([^\s@]{0,40})$/.exec(before);
    return match ? { query: match[2], start: before.length - match[2].length - 1 } : null;
  }

  function close(area) {
    var options = box(area).querySelector("[data-mention-options]");
    options.hidden = true;
    options.innerHTML = "";
  }

  function choose(area, button) {
    var typed = typedMention(area);
    var name = button.getAttribute("data-mention-name");
    var id = button.getAttribute("data-mention-id");
    if (typed) {
      var end = area.selectionStart;
      var inserted = "@" + name + " ";
      area.value = area.value.slice(0, typed.start) + inserted + area.value.slice(end);
      var caret = typed.start + inserted.length;
      area.setSelectionRange(caret, caret);
    }
    var chips = box(area).querySelector("[data-mention-chips]");
    if (!chips.querySelector('input[value="' + id + '"]')) {
      var chip = document.createElement("li");
      chip.className = "chip";
      chip.setAttribute("data-mention-name", name);
      chip.textContent = "@" + name;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "mentions";
      input.value = id;
      chip.appendChild(input);
      chips.appendChild(chip);
    }
    close(area);
    area.focus();
  }

  function lookup(area) {
    var typed = typedMention(area);
    if (!typed) {
      close(area);
      return;
    }
    var source = area.getAttribute("data-mentions");
    var url = source + "?q=" + encodeURIComponent(typed.query);
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(url, { headers: { "HX-Request": "true" }, signal: pending.signal, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var options = box(area).querySelector("[data-mention-options]");
        options.innerHTML = html;
        options.hidden = html.trim() === "";
        var first = options.querySelector("button[data-mention-id]");
        if (first) first.setAttribute("aria-selected", "true");
      })
      .catch(function () { /* a newer lookup replaced this one */ });
  }

  function selected(area) {
    return box(area).querySelector('[data-mention-options] button[aria-selected="true"]');
  }

  function move(area, step) {
    var buttons = Array.prototype.slice.call(box(area).querySelectorAll("[data-mention-options] button[data-mention-id]"));
    if (!buttons.length) return;
    var at = buttons.indexOf(selected(area));
    buttons.forEach(function (b) { b.removeAttribute("aria-selected"); });
    buttons[(at + step + buttons.length) % buttons.length].setAttribute("aria-selected", "true");
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (area instanceof HTMLTextAreaElement && area.hasAttribute("data-mentions")) lookup(area);
  });

  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.hasAttribute("data-mentions")) return;
    var options = box(area).querySelector("[data-mention-options]");
    if (options.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(area, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" || event.key === "Tab") {
      var button = selected(area);
      if (button) {
        event.preventDefault();
        choose(area, button);
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(area);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-mention-options] button[data-mention-id]");
    if (!button) return;
    event.preventDefault();
    var area = button.closest(".field").querySelector("textarea[data-mentions]");
    if (area) choose(area, button);
  });

  // A mention whose name was deleted from the text is not sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var area = form.querySelector("textarea[data-mentions]");
    if (!area) return;
    box(area).querySelectorAll("[data-mention-chips] li").forEach(function (chip) {
      if (area.value.indexOf("@" + chip.getAttribute("data-mention-name")) === -1) chip.remove();
    });
  }, true);
})();
