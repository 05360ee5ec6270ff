// The attachments card's drop zone (form[data-dropzone]): choosing a file or dropping one
// on the zone sends it at once (htmx posts the form as multipart and swaps the card); a
// progress bar follows the upload.
(function () {
  "use strict";

  function zoneOf(target) {
    return target && target.closest ? target.closest("form[data-dropzone]") : null;
  }

  function send(form) {
    var progress = form.querySelector("[data-dropzone-progress]");
    if (progress) { progress.hidden = false; progress.value = 0; }
    form.classList.add("dropzone-busy");
    // A card just swapped in (a live refresh) may not be wired by htmx yet.
    if (window.htmx) window.htmx.process(form);
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-dropzone-input")) return;
    if (input.files && input.files.length) send(zoneOf(input));
  });

  ["dragenter", "dragover"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var zone = zoneOf(event.target);
      if (!zone) return;
      event.preventDefault();
      zone.classList.add("dropzone-over");
    });
  });

  document.addEventListener("dragleave", function (event) {
    var zone = zoneOf(event.target);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("dropzone-over");
  });

  document.addEventListener("drop", function (event) {
    var zone = zoneOf(event.target);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("dropzone-over");
    var input = zone.querySelector("[data-dropzone-input]");
    if (!input || !event.dataTransfer || !event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    send(zone);
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var zone = zoneOf(event.target);
    if (!zone || !event.detail || !event.detail.lengthComputable) return;
    var progress = zone.querySelector("[data-dropzone-progress]");
    if (!progress) return;
    var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
    progress.value = percent;
    progress.textContent = percent + "%";
  });
})();
