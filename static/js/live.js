/* The live layer: keeps the server-rendered counters current over Socket.IO.
   Pages are complete without it; if the socket client is missing or cannot connect, nothing breaks. */
(function () {
  "use strict";

  var root = document.documentElement;
  var lang = root.lang || "id";
  var plurals = new Intl.PluralRules(lang);
  var numbers = new Intl.NumberFormat(lang);
  var body = document.body;
  var timeZone = body.getAttribute("data-timezone") || undefined;
  var dates = new Intl.DateTimeFormat(lang, {
    day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
    hour12: false, timeZone: timeZone
  });

  /* Word a number the way the server would: data-one / data-other hold "{n}" forms. */
  function setCount(element, value) {
    if (typeof value !== "number" || element.getAttribute("data-value") === String(value)) {
      return;
    }
    element.setAttribute("data-value", String(value));
    var form = element.getAttribute("data-" + plurals.select(value)) ||
      element.getAttribute("data-other");
    var text = numbers.format(value);
    element.textContent = form ? form.replace("{n}", text) : text;
  }

  function update(key, value) {
    var elements = document.querySelectorAll('[data-live="' + key + '"]');
    for (var i = 0; i < elements.length; i++) {
      setCount(elements[i], value);
    }
  }

  function updateDate(key, iso) {
    if (!iso) { return; }
    var elements = document.querySelectorAll('[data-live-date="' + key + '"]');
    for (var i = 0; i < elements.length; i++) {
      if (elements[i].getAttribute("datetime") !== iso) {
        elements[i].setAttribute("datetime", iso);
        elements[i].textContent = dates.format(new Date(iso));
        elements[i].hidden = false;
      }
    }
  }

  var live = window.Serambi = window.Serambi || {};
  live.update = update;

  if (typeof window.io !== "function") {
    return;
  }
  var path = body.getAttribute("data-page-path") || window.location.pathname;
  var articleId = parseInt(body.getAttribute("data-article-id") || "", 10);
  var auth = { path: path };
  if (articleId > 0) { auth.article = articleId; }
  var socket = window.io({
    auth: auth,
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 15000,
    randomizationFactor: 0.5
  });
  live.socket = socket;

  socket.on("connect", function () { root.classList.add("is-live"); });
  socket.on("disconnect", function () { root.classList.remove("is-live"); });

  /* {connected, guests, members, active, active_window, record, record_at} */
  socket.on("online_count", function (data) {
    update("online.guests", data.guests);
    update("online.members", data.members);
    update("online.connected", data.connected);
    update("online.active", data.active);
    update("online.record", data.record);
    updateDate("online.record_at", data.record_at);
  });

  /* {total}: the Statistik module's "Jumlah Kunjungan Konten" */
  socket.on("visit_total", function (data) { update("stats.total", data.total); });

  /* {id, hits}: the hit count of the article on this page */
  socket.on("article_hits", function (data) {
    if (data.id === articleId) { update("article.hits", data.hits); }
  });

  /* {path, readers} */
  socket.on("page_readers", function (data) {
    if (data.path === path) {
      update("page.readers", data.readers);
    }
  });
})();
