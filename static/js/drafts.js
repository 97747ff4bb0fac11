/* The article, event and custom module forms' autosaved draft (content/web/views/drafts.py) and the warning
   when leaving with unsaved changes. While the editor types, the form's fields are kept on the
   server a moment after the last change (and at least every KEEP_AT_MOST while typing on), only
   when they changed; a draft waiting from before is offered above the form. Without JavaScript
   the form is as it was and no draft is kept. */
(function () {
  "use strict";
  var keeper = document.querySelector("[data-draft-keeper]");
  if (!keeper || !window.fetch || !window.FormData || !window.URLSearchParams) { return; }
  var form = null;
  document.querySelectorAll("form[method=post]").forEach(function (candidate) {
    if (!form && (keeper.compareDocumentPosition(candidate) & Node.DOCUMENT_POSITION_FOLLOWING)) {
      form = candidate;
    }
  });
  if (!form) { return; }

  var KEEP_AFTER = 2000;  /* ms after the last change */
  var KEEP_AT_MOST = 10000;  /* ms between keeps while the editor types on without a pause */
  var TOKEN = "csrf_token";
  var status = keeper.querySelector("[data-draft-status]");  /* "kept at": quiet, seen only */
  var news = keeper.querySelector("[data-draft-news]");  /* read out: failures, restore, discard */
  var offer = document.querySelector("[data-draft-offer]");
  var formatDate = window.Serambi && window.Serambi.formatDate;

  function text(name) { return keeper.getAttribute("data-text-" + name) || ""; }

  /* Read out (failures, a restore, a discard) rather than only seen ("kept at"). */
  function tell(words, failure) {
    news.textContent = words;
    news.toggleAttribute("data-failed", Boolean(failure));
  }

  /* The rich-text editors (Jodit, static/js/editor.js) of this form: their text goes into the
     textareas before the form is read. */
  function richEditors() {
    var all = window.Jodit && window.Jodit.instances ? window.Jodit.instances : {};
    return Object.keys(all).map(function (id) { return all[id]; }).filter(function (editor) {
      return editor.element && form.contains(editor.element);
    });
  }

  function read() {
    richEditors().forEach(function (editor) { editor.synchronizeValues(); });
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") { params.append(name, value); }  /* files are not kept */
    });
    return params;
  }

  /* What the fields hold, the token left out: to tell whether anything changed. */
  function fingerprint(params) {
    var copy = new URLSearchParams(params);
    copy.delete(TOKEN);
    return copy.toString();
  }

  var saved = fingerprint(read());  /* what the server has as the item (or an empty new one) */
  var kept = saved;  /* what the server has as the draft (nothing newer than the item yet) */
  var unsavedAtStart = keeper.hasAttribute("data-unsaved");  /* shown again after a refusal */
  var submitting = false;
  var waiting = null;  /* the timer of the next keep */
  var firstChange = 0;  /* when the changes not kept yet began */
  var inFlight = null;  /* the AbortController of the keep on its way */

  function dirty() { return unsavedAtStart || fingerprint(read()) !== saved; }

  function keep() {
    waiting = null;
    if (submitting || (offer && !offer.hidden)) { return; }
    if (inFlight) { schedule(); return; }
    var params = read();
    var now = fingerprint(params);
    if (now === kept) { firstChange = 0; return; }
    inFlight = window.AbortController ? new AbortController() : {};
    fetch(keeper.getAttribute("data-save-url"), {
      method: "POST", body: params, credentials: "same-origin", redirect: "manual",
      headers: { "Accept": "application/json" }, signal: inFlight.signal
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (data) {
          kept = now;
          firstChange = 0;
          var time = formatDate ? formatDate(data.saved_at, "time") : data.saved_at;
          if (news.hasAttribute("data-failed")) { tell(""); }  /* it works again */
          status.textContent = text("kept").replace("{time}", time);
          keeper.setAttribute("data-kept-at", data.saved_at);
        });
      }
      var why = response.status === 413 ? "too-large" : response.status === 409 ? "saved-since" :
        (response.type === "opaqueredirect" || response.status === 403 || response.status === 400) ?
          "logged-out" : "offline";
      failed(why);
    }).catch(function () { if (!submitting) { failed("offline"); } })
      .then(function () { inFlight = null; });
  }

  function failed(why) {
    status.textContent = "";
    tell(text("failed").replace("{why}", text(why)), true);
    if (why === "offline" && !waiting) { waiting = setTimeout(keep, KEEP_AT_MOST); }  /* try again */
  }

  function schedule() {
    var now = Date.now();
    if (!firstChange) { firstChange = now; }
    clearTimeout(waiting);
    waiting = setTimeout(keep, Math.max(0, Math.min(KEEP_AFTER, firstChange + KEEP_AT_MOST - now)));
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  richEditors().forEach(function (editor) { editor.e.on("change", schedule); });

  /* Sent (saved, or dropped on the conflict screen): no more keeping, and the keep on its way
     is called off, so it cannot bring back as a draft what was just saved or dropped (the
     server refuses one that arrives after a save all the same). */
  function stopKeeping() {
    submitting = true;
    clearTimeout(waiting);
    if (inFlight && inFlight.abort) { inFlight.abort(); }
  }
  form.addEventListener("submit", stopKeeping);
  document.querySelectorAll("form[data-drops-draft]").forEach(function (drop) {
    drop.addEventListener("submit", stopKeeping);
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !dirty()) { return; }
    event.preventDefault();
    event.returnValue = "";  /* the browser words the question itself */
  });
  /* The tab closes or goes elsewhere: what changed since the last keep goes with it. */
  window.addEventListener("pagehide", function () {
    if (submitting || (offer && !offer.hidden) || !navigator.sendBeacon) { return; }
    var params = read();
    if (fingerprint(params) !== kept) {
      navigator.sendBeacon(keeper.getAttribute("data-save-url"), params);
    }
  });

  /* "Kept at 10:43" beside the buttons, where the editor looks before saving. */
  var actions = form.querySelector(".form-actions");
  if (actions) { actions.appendChild(keeper); }

  /* The form was sent and came back unsaved (a preview, a refusal): keep it as a draft now. */
  if (unsavedAtStart) { kept = ""; schedule(); }
  keeper.hidden = false;

  if (!offer) { return; }

  /* ---- A draft from before, newer than the saved item: restore it, or discard it ---- */
  var fields = {};
  try {
    fields = JSON.parse(offer.querySelector("[data-draft-fields]").textContent) || {};
  } catch (e) { fields = {}; }

  function restore() {
    var used = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || name === TOKEN || element.type === "file" || element.type === "submit" ||
          element.type === "button" || !Object.prototype.hasOwnProperty.call(fields, name)) {
        if (name && (element.type === "checkbox" || element.type === "radio") &&
            !Object.prototype.hasOwnProperty.call(fields, name)) {
          element.checked = false;  /* an unticked box is not sent, so not in the draft */
        }
        return;
      }
      var values = fields[name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.type === "select-multiple") {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else {
        var index = used[name] || 0;
        used[name] = index + 1;
        element.value = index < values.length ? values[index] : "";
      }
    });
    richEditors().forEach(function (editor) { editor.value = editor.element.value; });
  }

  function close(words) {
    offer.hidden = true;
    tell(words);
    var first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); }
  }

  offer.querySelector("[data-draft-restore]").addEventListener("click", function () {
    restore();
    kept = fingerprint(read());  /* the server has exactly this as the draft */
    close(text("restored"));
  });
  offer.querySelector("[data-draft-discard]").addEventListener("click", function () {
    var body = new URLSearchParams();
    body.append(TOKEN, form.elements[TOKEN].value);
    fetch(keeper.getAttribute("data-discard-url"), {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      close(text("discarded"));
      schedule();  /* changes made while the offer was open are kept now */
    }).catch(function () { failed("offline"); });
  });
  offer.hidden = false;
})();
