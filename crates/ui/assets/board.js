// The deal board (templates/deals/board.html): cards dragged between stage columns with
// SortableJS (mouse and touch). A drop is a real save: it posts the stage and the version
// the card was drawn at to /deals/{id}/move. A lost column first asks for the reason, a won
// column for the final amount and close date, in a <dialog>; cancelling puts the card back.
// A refusal (someone changed the deal, no reason, …) puts the card back and shows the
// server's message. After a save the columns are redrawn, so counts and totals are the
// server's. Without this script the board still reads, and each deal's page moves it.
(function () {
  "use strict";

  function csrf() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
    } catch (e) {
      return "";
    }
  }

  function message(text) {
    var box = document.getElementById("board-message");
    if (!box) return;
    box.textContent = text;
    box.hidden = !text;
  }

  // Asks a dialog's questions; resolves with its fields, or null when cancelled.
  function ask(dialog, card) {
    return new Promise(function (resolve) {
      var form = dialog.querySelector("form");
      form.reset();
      var amount = form.querySelector("[name=amount]");
      if (amount) amount.value = card.getAttribute("data-amount") || "";
      var currency = dialog.querySelector(".won-currency");
      if (currency) currency.textContent = card.getAttribute("data-currency") || "";
      var close = form.querySelector("[name=expected_close]");
      if (close) close.value = close.getAttribute("data-today") || "";
      function done() {
        dialog.removeEventListener("close", done);
        if (dialog.returnValue !== "confirm") return resolve(null);
        var fields = {};
        new FormData(form).forEach(function (value, key) { fields[key] = value; });
        resolve(fields);
      }
      dialog.addEventListener("close", done);
      dialog.returnValue = "";
      dialog.showModal();
    });
  }

  function redraw(board) {
    return fetch(board.getAttribute("data-board"), {
      credentials: "same-origin",
      headers: { "HX-Request": "true" }
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      board.innerHTML = html;
      enable(board);
    });
  }

  function save(board, event, fields) {
    var card = event.item;
    var body = new URLSearchParams();
    body.set("stage_id", event.to.getAttribute("data-stage"));
    body.set("version", card.getAttribute("data-version") || "");
    Object.keys(fields).forEach(function (key) { body.set(key, fields[key]); });
    body.set("_csrf", csrf());
    board.setAttribute("aria-busy", "true");
    return fetch("/deals/" + card.getAttribute("data-deal") + "/move", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf() },
      body: body
    }).then(function (response) {
      if (response.ok) {
        message("");
        return redraw(board);
      }
      return response.text().then(function (text) {
        putBack(event);
        message(text || document.body.getAttribute("data-error-generic") || "");
      });
    }).catch(function () {
      putBack(event);
      message(document.body.getAttribute("data-error-generic") || "");
    }).then(function () {
      board.removeAttribute("aria-busy");
    });
  }

  function putBack(event) {
    var from = event.from;
    var before = from.children[event.oldIndex] || null;
    from.insertBefore(event.item, before);
  }

  function dropped(board, event) {
    if (event.from === event.to) return;
    var kind = event.to.closest("[data-kind]").getAttribute("data-kind");
    var dialog = kind === "lost" ? document.getElementById("lost-dialog")
      : kind === "won" ? document.getElementById("won-dialog") : null;
    if (!dialog) {
      save(board, event, {});
      return;
    }
    ask(dialog, event.item).then(function (fields) {
      if (fields === null) {
        putBack(event);
        return;
      }
      save(board, event, fields);
    });
  }

  function enable(board) {
    if (!board.hasAttribute("data-board-movable") || typeof window.Sortable === "undefined") return;
    board.querySelectorAll(".board-cards").forEach(function (list) {
      window.Sortable.create(list, {
        group: "deals",
        animation: 150,
        sort: false,
        delay: 120,
        delayOnTouchOnly: true,
        ghostClass: "board-card-ghost",
        forceFallback: true,
        fallbackOnBody: true,
        onEnd: function (event) { dropped(board, event); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var board = document.getElementById("board");
    if (board) enable(board);
  });
})();
