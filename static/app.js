// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Print button on results.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // Move focus to the error summary so screen readers announce it.
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
  // "None of these" stands alone: ticking it clears the others, ticking another clears it.
  document.querySelectorAll("input[data-exclusive]").forEach(function (none) {
    var group = document.querySelectorAll('input[type=checkbox][name="' + none.name + '"]');
    group.forEach(function (box) {
      box.addEventListener("change", function () {
        if (!box.checked) { return; }
        group.forEach(function (other) {
          if ((box === none) !== (other === none)) { other.checked = false; }
        });
      });
    });
  });
})();
