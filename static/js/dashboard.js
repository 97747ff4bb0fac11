/* The editors' dashboard, live: what people read now and the open polls' voters, from the
   `dashboard_live` snapshots of the /redaksi namespace (realtime/dashboard.py). Without it the
   panels show the figures of the moment the page was made. */
(function () {
  "use strict";
  var root = document.querySelector("[data-dashboard]");
  if (!root || typeof window.io !== "function") { return; }

  var lang = document.documentElement.lang || "id";
  var numbers = new Intl.NumberFormat(lang);
  var plurals = new Intl.PluralRules(lang);
  var quiet = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var status = root.querySelector("[data-live-status]");
  var reading = root.querySelector("[data-dashboard-reading]");
  var nobody = root.querySelector("[data-dashboard-reading-empty]");

  function worded(element, value) {
    var form = element.getAttribute("data-" + plurals.select(value)) || element.getAttribute("data-other") || "{n}";
    return form.replace("{n}", numbers.format(value));
  }

  function highlight(element) {
    if (quiet) { return; }
    element.classList.remove("is-changed");
    void element.offsetWidth;  /* restart the animation */
    element.classList.add("is-changed");
  }

  /* pages: [{path, title, readers}], the most read first */
  function drawReading(pages) {
    if (!reading) { return; }
    var before = {};
    reading.querySelectorAll("li[data-path]").forEach(function (li) {
      before[li.getAttribute("data-path")] = li.querySelector(".figure").textContent;
    });
    var fresh = document.createDocumentFragment();
    pages.forEach(function (page) {
      var li = document.createElement("li");
      li.setAttribute("data-path", page.path);
      var link = document.createElement("a");
      link.href = page.path;
      link.textContent = page.title || page.path;
      var figure = document.createElement("span");
      figure.className = "figure";
      figure.title = worded(reading, page.readers);
      figure.textContent = numbers.format(page.readers);
      li.appendChild(link);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(figure);
      fresh.appendChild(li);
      if (before[page.path] !== figure.textContent) { highlight(figure); }
    });
    reading.replaceChildren(fresh);
    reading.hidden = !pages.length;
    if (nobody) { nobody.hidden = pages.length > 0; }
  }

  /* polls: [{poll_id, voters}] */
  function drawPolls(polls) {
    polls.forEach(function (poll) {
      var item = root.querySelector('[data-dashboard-poll="' + poll.poll_id + '"]');
      if (!item) { return; }
      var figure = item.querySelector("[data-voters]");
      var text = numbers.format(poll.voters);
      if (figure && figure.textContent !== text) {
        figure.textContent = text;
        highlight(figure);
      }
      var word = item.querySelector("[data-voters-word]");
      if (word) { word.textContent = worded(word, poll.voters); }
    });
  }

  var socket = window.io("/redaksi", {
    transports: ["websocket"],
    reconnectionDelay: 1000, reconnectionDelayMax: 15000
  });
  socket.on("connect", function () {
    socket.emit("watch_dashboard", {});
    if (status) { status.classList.add("is-live"); }
  });
  socket.on("disconnect", function () { if (status) { status.classList.remove("is-live"); } });
  socket.on("dashboard_live", function (data) {
    drawReading(data.reading || []);
    drawPolls(data.polls || []);
  });
})();
