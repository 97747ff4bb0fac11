/* The moderators' live room: redraws the presence table from each `presence_table` snapshot. */
(function () {
  "use strict";
  if (typeof window.io !== "function") { return; }

  var texts = document.getElementById("moderation-texts");
  var lang = document.documentElement.lang || "id";
  var numbers = new Intl.NumberFormat(lang);
  /* Times as the server writes them, by the page's one formatter (static/js/live.js, loaded
     first): "10:43:05" and "7 Des 2026 10:43" in every language. */
  var formatDate = window.Serambi.formatDate;
  var clock = { format: function (date) { return formatDate(date, "clock"); } };
  function dayAndTime(date) { return formatDate(date, "short"); }

  /* A page by its title, its path on hover */
  function pageName(path, title) {
    var name = document.createElement("span");
    name.className = "page-name";
    name.title = path;
    name.textContent = title || path;
    return name;
  }
  var status = document.querySelector("[data-live-status]");

  function text(name) { return texts ? texts.getAttribute("data-" + name) || "" : ""; }

  function cell(row, content, className) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    if (content instanceof Node) { td.appendChild(content); } else { td.textContent = content; }
    row.appendChild(td);
    return td;
  }

  function time(iso) {
    var element = document.createElement("time");
    element.setAttribute("datetime", iso);
    element.textContent = clock.format(new Date(iso));
    return element;
  }

  function drawVisitors(visitors, titles) {
    var body = document.querySelector("[data-moderation-visitors]");
    if (!body) { return; }
    var fresh = document.createDocumentFragment();
    visitors.forEach(function (visitor) {
      var row = document.createElement("tr");
      row.setAttribute("data-visitor", visitor.label);
      if (visitor.bot) { row.className = "is-bot"; }
      var label = document.createElement("code");
      label.textContent = visitor.label;
      var first = cell(row, label);
      if (visitor.bot) {
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = text("bot");
        first.appendChild(document.createTextNode(" "));
        first.appendChild(badge);
      }
      cell(row, visitor.member || "");
      var pages = cell(row, "");
      visitor.paths.forEach(function (path, index) {
        if (index) { pages.appendChild(document.createTextNode(", ")); }
        pages.appendChild(pageName(path, titles[path]));
      });
      cell(row, time(visitor.since));
      cell(row, String(visitor.tabs), "num");
      cell(row, visitor.device);
      fresh.appendChild(row);
    });
    if (!visitors.length) {
      var empty = document.createElement("tr");
      empty.className = "empty-row";
      cell(empty, text("nobody"), "empty").colSpan = 6;
      fresh.appendChild(empty);
    }
    body.replaceChildren(fresh);
  }

  function drawList(selector, items, draw) {
    var list = document.querySelector(selector);
    if (!list) { return; }
    var fresh = document.createDocumentFragment();
    items.forEach(function (item) {
      var li = document.createElement("li");
      draw(li, item);
      fresh.appendChild(li);
    });
    list.replaceChildren(fresh);
  }

  function drawFigures(data) {
    var fields = {
      connected: data.figures.connected, guests: data.figures.guests,
      members: data.figures.members, active: data.figures.active, bots: data.bots
    };
    Object.keys(fields).forEach(function (name) {
      var dd = document.querySelector('[data-moderation-figures] [data-field="' + name + '"]');
      if (dd) { dd.textContent = numbers.format(fields[name]); }
    });
    var record = document.querySelector("[data-record-count]");
    if (record) { record.textContent = numbers.format(data.figures.record); }
    var recordAt = document.querySelector("[data-record-at]");
    if (recordAt && data.figures.record_at &&
        recordAt.getAttribute("datetime") !== data.figures.record_at) {
      recordAt.setAttribute("datetime", data.figures.record_at);
      recordAt.textContent = dayAndTime(new Date(data.figures.record_at));
      recordAt.parentNode.hidden = false;
    }
  }

  var socket = window.io("/moderasi", {
    transports: ["websocket"],
    reconnectionDelay: 1000, reconnectionDelayMax: 15000
  });
  socket.on("connect", function () { if (status) { status.classList.add("is-live"); } });
  socket.on("disconnect", function () { if (status) { status.classList.remove("is-live"); } });

  /* {alerts: [{poll_id, per_minute, at}]}: polls voted on faster than the alert rate */
  socket.on("poll_alerts", function (data) {
    drawList("[data-moderation-alerts]", data.alerts, function (li, alert) {
      li.textContent = text("alert").replace("{poll}", alert.poll_id)
        .replace("{num}", numbers.format(alert.per_minute));
    });
  });

  /* {minutes: [60 counts, oldest first], last_5, last_60}: the statistics page's live chart */
  socket.on("stats_live", function (data) {
    if (window.Serambi && window.Serambi.update) {
      window.Serambi.update("stats.last_5", data.last_5);
      window.Serambi.update("stats.last_60", data.last_60);
    }
    var chart = document.querySelector('[data-live-chart="minutes"]');
    if (!chart) { return; }
    var top = Math.max(Number(chart.getAttribute("data-top")) || 1, Math.max.apply(null, data.minutes));
    var plotTop = Number(chart.getAttribute("data-plot-top"));
    var plotHeight = Number(chart.getAttribute("data-plot-height"));
    data.minutes.forEach(function (value, index) {
      var bar = chart.querySelector('[data-live-bar="minutes:' + index + '"]');
      if (!bar) { return; }
      var height = plotHeight * value / top;
      bar.setAttribute("height", height.toFixed(1));
      bar.setAttribute("y", (plotTop + plotHeight - height).toFixed(1));
      var title = bar.querySelector("title");
      if (title) { title.textContent = title.textContent.replace(/[^:]*$/, " " + numbers.format(value)); }
    });
  });

  /* {figures, bots, visitors: [...], titles: {path: title}, pages: [{path, title, readers}],
      feed: [{type: join|move|leave, visitor, member, staff, bot, path, title, at}]} */
  socket.on("presence_table", function (data) {
    drawFigures(data);
    drawVisitors(data.visitors, data.titles || {});
    drawList("[data-moderation-pages]", data.pages, function (li, page) {
      var name = pageName(page.path, page.title);
      name.classList.add("path");
      var count = document.createElement("strong");
      count.textContent = numbers.format(page.readers);
      li.appendChild(name);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(count);
    });
    drawList("[data-moderation-feed]", data.feed, function (li, item) {
      li.className = "feed-" + item.type + (item.staff ? " is-staff" : "") + (item.bot ? " is-bot" : "");
      li.appendChild(time(item.at));
      var who = document.createElement("code");
      who.textContent = item.visitor;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(who);
      if (item.member) { li.appendChild(document.createTextNode(" (" + item.member + ")")); }
      if (item.bot) {
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = text("bot");
        li.appendChild(document.createTextNode(" "));
        li.appendChild(badge);
      }
      var words = { join: "arrived", move: "moved", leave: "left" }[item.type] || "left";
      li.appendChild(document.createTextNode(" " + text(words)));
      if (item.path) {
        li.appendChild(document.createTextNode(item.type === "move" ? " " : " – "));
        li.appendChild(pageName(item.path, item.title));
      }
    });
  });
})();
