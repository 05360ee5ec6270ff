// Live updates: a signed-in page (body[data-events]) opens one event stream and turns each
// change it may see into DOM events on <body> that htmx triggers listen to:
//   rehber:<type>                    e.g. rehber:notification, rehber:record-updated
//   rehber:<record_type>-<id>        the changed thing and every record showing it
//   rehber:resync                    some changes may have been missed: refresh
// A list page (data-live-list="person") reloads its results when a record of its kind
// changes, unless rows are selected for a bulk action. A record's page
// (data-live-record="person-12") fetches itself again when the record changes and swaps in
// every part (data-live-part) that is not being edited; a part being edited keeps what was
// typed and a notice says the record changed. Events carry identifiers only; what is shown
// is fetched again through the normal, scoped pages.
(function () {
  "use strict";

  function fire(name, detail) {
    document.body.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function refreshList(recordType) {
    var list = document.querySelector('[data-live-list="' + recordType + '"]');
    if (!list || !window.htmx || !document.getElementById("results")) return;
    if (list.querySelector('input[name="ids"]:checked')) return;
    window.htmx.ajax("GET", window.location.pathname + window.location.search, { target: "#results", swap: "outerHTML" });
  }

  function notice(kind) {
    var box = document.getElementById("live-notice");
    if (!box) return;
    box.querySelector("[data-live-changed]").hidden = kind !== "changed";
    box.querySelector("[data-live-deleted]").hidden = kind !== "deleted";
    box.hidden = false;
  }

  var refreshing = null;
  function refreshRecord(data) {
    var key = data.record_type + "-" + data.id;
    if (!document.querySelector('[data-live-record="' + key + '"]')) return;
    if (data.type === "record.deleted") { notice("deleted"); return; }
    if (data.type !== "record.updated") return;
    // Saves in quick succession are fetched once, after the last.
    clearTimeout(refreshing);
    refreshing = setTimeout(function () {
      fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html");
          var stale = false;
          document.querySelectorAll("[data-live-part]").forEach(function (part) {
            var next = part.id && fresh.getElementById(part.id);
            if (!next) return;
            // A card being edited keeps what was typed; one holding the focus (a link
            // just tabbed to) is left for the next change rather than pulled from under it.
            if (part.querySelector("form.form")) { stale = true; return; }
            if (part.contains(document.activeElement)) return;
            var node = document.importNode(next, true);
            part.replaceWith(node);
            if (window.htmx) window.htmx.process(node);
          });
          if (stale) notice("changed");
        })
        .catch(function () {});
    }, 300);
  }

  function start() {
    if (!window.EventSource || !document.body.hasAttribute("data-events")) return;
    var source = new EventSource("/api/v1/events");
    source.onmessage = function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      var type = String(data.type || "").replace(/\./g, "-");
      fire("rehber:" + type, data);
      fire("rehber:" + data.record_type + "-" + data.id, data);
      (data.records || []).forEach(function (r) {
        if (r.record_type !== data.record_type || r.record_id !== data.id) {
          fire("rehber:" + r.record_type + "-" + r.record_id, data);
        }
      });
      if (String(data.type).indexOf("record.") === 0) {
        refreshList(data.record_type);
        refreshRecord(data);
      }
    };
    source.addEventListener("resync", function () { fire("rehber:resync", {}); });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
