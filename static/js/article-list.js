/* The editors' article list: "select all" as a checkbox, the number selected, and the target
   category shown only for "Move to category". Without this script the list works as a form:
   "Select all" is a link that reloads the page with every box ticked. */
(function () {
  "use strict";
  var form = document.querySelector("[data-bulk-form]");
  if (!form) { return; }
  var picks = Array.prototype.slice.call(document.querySelectorAll("[data-pick]"));
  var all = document.querySelector("input[data-select-all]");
  var link = document.querySelector("[data-select-all-link]");
  var count = form.querySelector("[data-selected-count]");
  var words = count ? JSON.parse(count.getAttribute("data-words") || "{}") : {};
  var action = form.querySelector("select[name=aksi]");
  var category = form.querySelector("[data-bulk-category]");

  function update() {
    var chosen = picks.filter(function (box) { return box.checked; }).length;
    if (all) {
      all.checked = chosen > 0 && chosen === picks.length;
      all.indeterminate = chosen > 0 && chosen < picks.length;
    }
    if (count) {
      var text = chosen === 0 ? words.none : (chosen === 1 ? words.one : words.other);
      count.textContent = (text || "").replace(/\d+/, String(chosen));
    }
  }

  if (all && picks.length) {
    all.hidden = false;
    document.querySelectorAll("label[data-select-all]").forEach(function (label) { label.hidden = false; });
    if (link) { link.hidden = true; }
    all.addEventListener("change", function () {
      picks.forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  picks.forEach(function (box) { box.addEventListener("change", update); });

  function showCategory() {
    if (category && action) { category.hidden = action.value !== "move"; }
  }
  if (action) { action.addEventListener("change", showCategory); }
  showCategory();
  update();
})();
