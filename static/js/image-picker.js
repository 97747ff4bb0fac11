// Image pickers beside image address fields: choosing a library image writes its address into
// the field (which stays editable for outside images) and shows a small preview.
(function () {
  "use strict";
  document.querySelectorAll("[data-image-picker]:not([data-ready])").forEach(function (picker) {
    picker.setAttribute("data-ready", "");
    var field = document.getElementById(picker.getAttribute("data-image-picker"));
    var select = picker.querySelector("select");
    var preview = picker.querySelector("[data-picker-preview]");
    if (!field) {
      return;
    }
    function show(url) {
      var libraryImage = /^\/media\/img\/[0-9a-f]{24}-\d+x\d+-\d+\.(webp|jpg|png|gif)$/.test(url);
      preview.hidden = !libraryImage;
      if (libraryImage) {
        var option = select && select.querySelector('option[value="' + url + '"]');
        preview.src = option ? option.getAttribute("data-thumbnail") : url;
      }
    }
    if (select) {
      select.addEventListener("change", function () {
        if (select.value) {
          field.value = select.value;
          show(select.value);
          select.value = "";  // the field holds the choice now; typing there wins again
        }
      });
    }
    field.addEventListener("change", function () { show(field.value.trim()); });
    show(field.value.trim());
  });
}());
