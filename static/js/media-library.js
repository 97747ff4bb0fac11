// Media library: images dropped on the upload area (or chosen) are sent one by one with fetch;
// each answer (JSON) is reported in the status line, then the list is reloaded. Without this
// script the same form posts normally (its form token in its address too, so the server knows
// before reading the body that a large one may come) and the page comes back with a message.
(function () {
  "use strict";
  var form = document.querySelector("[data-media-upload]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var zone = form.querySelector("[data-dropzone]");
  var input = form.querySelector("input[type=file]");
  var status = form.querySelector("[data-upload-status]");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
  form.querySelectorAll("[data-drop-only]").forEach(function (node) { node.hidden = false; });

  function say(text, isError) {
    var line = document.createElement("p");
    line.textContent = text;
    if (isError) {
      line.className = "field-error";
    }
    status.appendChild(line);
  }

  function fill(template, name) {
    return (template || "").replace("{name}", name);
  }

  function uploadOne(file) {
    if (maxBytes && file.size > maxBytes) {
      say(file.name + ": " + form.getAttribute("data-too-large"), true);
      return Promise.resolve(false);
    }
    var data = new FormData();
    data.append("file", file, file.name);
    data.append("alt", form.elements.alt.value);
    if (form.elements.decorative.checked) {
      data.append("decorative", "1");
    }
    say(fill(form.getAttribute("data-uploading"), file.name), false);
    return fetch(form.getAttribute("data-upload-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "X-CSRF-Token": form.elements.csrf_token.value
      }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          say(fill(form.getAttribute("data-done"), file.name), false);
          return true;
        }
        say(file.name + ": " + (body.error || form.getAttribute("data-failed")), true);
        return false;
      });
    }, function () {
      say(file.name + ": " + form.getAttribute("data-failed"), true);
      return false;
    });
  }

  function uploadAll(files) {
    status.textContent = "";
    var list = Array.prototype.slice.call(files);
    var done = 0;
    var chain = Promise.resolve();
    list.forEach(function (file) {
      chain = chain.then(function () {
        return uploadOne(file).then(function (ok) { done += ok ? 1 : 0; });
      });
    });
    return chain.then(function () {
      if (done > 0 && done === list.length) {
        window.location.reload();
      } else if (done > 0) {
        form.setAttribute("data-reload", "1");
        var again = document.createElement("a");
        again.href = window.location.href;
        again.textContent = "↻";
        status.appendChild(again);
      }
    });
  }

  form.addEventListener("submit", function (event) {
    if (input.files && input.files.length) {
      event.preventDefault();
      uploadAll(input.files);
    }
  });

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("is-over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () {
      zone.classList.remove("is-over");
    });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length) {
      uploadAll(files);
    }
  });
}());
