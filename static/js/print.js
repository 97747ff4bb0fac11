// The print page: its button opens the browser's print dialog, only when a person clicks it.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false; // shown only where this script runs, so it never does nothing
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
