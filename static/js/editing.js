/* Who else has this article or event open: the editors' live room (the /redaksi namespace,
   realtime/editing.py). Advice only: the form works the same without it. */
(function () {
  "use strict";
  var box = document.querySelector("[data-editing-kind]");
  if (!box || typeof window.io !== "function") { return; }

  var me = parseInt(box.getAttribute("data-editing-me"), 10);
  var item = { kind: box.getAttribute("data-editing-kind"), id: parseInt(box.getAttribute("data-editing-id"), 10) };
  var key = item.kind + ":" + item.id;
  var status = box.querySelector("[data-editing-status]");
  var formatDate = window.Serambi && window.Serambi.formatDate;

  function text(name) { return box.getAttribute("data-text-" + name) || ""; }

  function line(className, words) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = words;
    return p;
  }

  /* editors: [{id, name, since}], oldest first, this editor included (left out here) */
  function draw(editors) {
    var others = editors.filter(function (editor) { return editor.id !== me; });
    box.classList.toggle("has-others", others.length > 0);
    if (!others.length) {
      status.replaceChildren(line("editing-now-empty", text("nobody")));
      return;
    }
    var list = document.createElement("ul");
    list.className = "editing-now-list";
    others.forEach(function (editor) {
      var li = document.createElement("li");
      li.setAttribute("data-editor-id", String(editor.id));
      var name = document.createElement("strong");
      name.textContent = editor.name;
      var since = document.createElement("time");
      since.setAttribute("datetime", editor.since);
      var parts = text("since").split("{time}");
      since.textContent = formatDate ? formatDate(editor.since, "time") : editor.since;
      li.appendChild(name);
      li.appendChild(document.createTextNode(" " + parts[0]));
      li.appendChild(since);
      li.appendChild(document.createTextNode(parts[1] || ""));
      list.appendChild(li);
    });
    status.replaceChildren(list);
  }

  var socket = window.io("/redaksi", {
    transports: ["websocket"],
    reconnectionDelay: 1000, reconnectionDelayMax: 15000
  });
  socket.on("connect", function () {
    box.hidden = false;
    box.classList.remove("is-offline");
    socket.emit("open_item", item);
  });
  socket.on("disconnect", function () {
    box.classList.add("is-offline");
    box.classList.remove("has-others");
    status.replaceChildren(line("editing-now-empty", text("offline")));
  });
  socket.on("connect_error", function () {
    /* refused (no longer logged in) or the server is away: the library tries again */
    if (!socket.active) { box.hidden = true; }
  });
  socket.on("editors_here", function (data) {
    if (data && data.item === key) { draw(data.editors || []); }
  });
  /* Leaving the page: drop out at once rather than when the socket closes. */
  window.addEventListener("pagehide", function () { socket.emit("close_item", {}); });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && socket.connected) { socket.emit("open_item", item); }
  });
})();
