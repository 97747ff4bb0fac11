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
  live.setCount = setCount;

  if (typeof window.io !== "function") {
    return;
  }
  var path = body.getAttribute("data-page-path") || window.location.pathname;
  var articleId = parseInt(body.getAttribute("data-article-id") || "", 10);
  var auth = { path: path, title: document.title };  /* the title names the page for moderators */
  if (articleId > 0) { auth.article = articleId; }
  var polls = Array.prototype.map.call(document.querySelectorAll(".poll[data-poll-id]"),
    function (element) { return parseInt(element.getAttribute("data-poll-id"), 10); });
  if (polls.length) { auth.polls = polls; }
  var socket = window.io({
    auth: auth,
    transports: ["websocket"],
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

/* Polls: vote over the socket when it is connected (the form posts normally otherwise), and move
   the bars whenever `poll_results` arrives. */
(function () {
  "use strict";
  var live = window.Serambi;
  if (!live || !live.socket) { return; }
  var socket = live.socket;
  var lang = document.documentElement.lang || "id";
  var numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  function block(pollId) { return document.querySelector('.poll[data-poll-id="' + pollId + '"]'); }

  function say(element, message, isError) {
    var status = element.querySelector("[data-poll-status]");
    if (!status) { return; }
    status.textContent = message;
    status.classList.toggle("is-error", Boolean(isError));
  }

  /* {poll_id, phase, voters, votes, options: [{id, label, votes, percent}]} */
  function showResults(data) {
    var element = block(data.poll_id);
    if (!element) { return; }
    var results = element.querySelector("[data-poll-results]");
    data.options.forEach(function (option) {
      var row = element.querySelector('[data-poll-option="' + option.id + '"]');
      if (!row) { return; }
      row.querySelector(".poll-bar").style.width = option.percent + "%";
      row.querySelector("[data-poll-percent]").textContent = numbers.format(option.percent) + "%";
      var count = row.querySelector('[data-live="poll.votes"]');
      if (count) { live.setCount(count, option.votes); }
    });
    var voters = element.querySelector('[data-live="poll.voters"]');
    if (voters) { live.setCount(voters, data.voters); }
    var form = element.querySelector(".poll-form");
    if (results && (!form || form.hidden || element.hasAttribute("data-results-page"))) {
      results.hidden = false;
    }
  }

  function closeForm(element) {
    var form = element.querySelector(".poll-form");
    if (form) { form.hidden = true; }
  }

  socket.on("poll_results", showResults);

  /* {poll_id, phase}: a poll closing at its close time turns its form into results */
  socket.on("poll_phase", function (data) {
    var element = block(data.poll_id);
    if (!element || element.getAttribute("data-poll-phase") === data.phase) { return; }
    element.setAttribute("data-poll-phase", data.phase);
    if (data.phase === "closed" || data.phase === "archived") {
      closeForm(element);
      say(element, element.getAttribute("data-closed-text") || "", false);
      if (element.getAttribute("data-poll-results-rule") !== "always") {
        fetch("/api/polls/" + data.poll_id, { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (payload) { if (payload.results) { showResults(payload.results); } })
          .catch(function () { /* the page still has its link to the results */ });
      } else {
        var results = element.querySelector("[data-poll-results]");
        if (results) { results.hidden = false; }
      }
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("poll-form") || !socket.connected) { return; }
    var element = form.closest(".poll");
    var chosen = Array.prototype.map.call(
      form.querySelectorAll('input[name="option"]:checked'),
      function (input) { return parseInt(input.value, 10); });
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    if (button) { button.disabled = true; }
    socket.timeout(8000).emit("vote", {
      poll_id: parseInt(element.getAttribute("data-poll-id"), 10), options: chosen
    }, function (error, ack) {
      if (button) { button.disabled = false; }
      if (error) { form.submit(); return; }  /* no answer: fall back to the plain form */
      say(element, ack.message, !ack.ok);
      if (ack.ok || ack.reason === "already_voted" || ack.reason === "closed") {
        form.hidden = true;
      }
      if (ack.results) { showResults(ack.results); }
    });
  });
})();

/* The poll page's first and last vote, moved by each `poll_results` in the page's language and
   the server's format ("Senin, 8 Desember 2026 10:43"). */
(function () {
  "use strict";
  var live = window.Serambi;
  if (!live || !live.socket) { return; }
  var moments = new Intl.DateTimeFormat(document.documentElement.lang || "id", {
    weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit",
    minute: "2-digit", hourCycle: "h23",
    timeZone: document.body.getAttribute("data-timezone") || undefined
  });

  function longDate(iso) {
    var p = {};
    moments.formatToParts(new Date(iso)).forEach(function (part) { p[part.type] = part.value; });
    return p.weekday + ", " + p.day + " " + p.month + " " + p.year + " " + p.hour + ":" + p.minute;
  }

  live.socket.on("poll_results", function (data) {
    ["first_vote", "last_vote"].forEach(function (key) {
      var element = document.querySelector('[data-poll-moment="' + data.poll_id + ":" + key + '"]');
      if (!element || !data[key] || element.getAttribute("datetime") === data[key]) { return; }
      element.setAttribute("datetime", data[key]);
      element.textContent = longDate(data[key]);
      var row = element.closest("[data-poll-moment-row]");
      if (row) { row.hidden = false; }
    });
  });
})();
