// The import page: show upload progress for large files (htmx's xhr progress events).
(function () {
  "use strict";
  document.addEventListener("htmx:xhr:progress", function (event) {
    const bar = document.getElementById("upload-progress");
    if (!bar || !event.detail.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });
  document.addEventListener("htmx:afterRequest", function () {
    const bar = document.getElementById("upload-progress");
    if (bar) bar.hidden = true;
  });
})();
