/* The live layer: keeps the server-rendered counters current over Socket.IO.
   Pages are complete without it; if the socket client is missing or cannot connect, nothing breaks. */
(function () {
  "use strict";

  var root = document.documentElement;
  var lang = root.lang || "id";
  var plurals = new Intl.PluralRules(lang);
  var numbers = new Intl.NumberFormat(lang);
  var body = document.body;
  var live = window.Serambi = window.Serambi || {};

  /* Dates and times: the server's patterns (content/i18n.py DATE_PATTERNS) filled with the names
     Babel gave the page, in the site's zone, so "10:43" stays "10:43" when the script takes over. */
  var names = {};
  try { names = JSON.parse(body.getAttribute("data-date-names") || "{}") || {}; } catch (e) { names = {}; }
  var timeZone = names.timezone || body.getAttribute("data-timezone") || undefined;
  var zoneParts;
  try {
    zoneParts = new Intl.DateTimeFormat("en-US", {
      timeZone: timeZone, year: "numeric", month: "numeric", day: "numeric", weekday: "short",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"
    });
  } catch (e) {
    zoneParts = new Intl.DateTimeFormat("en-US", {
      year: "numeric", month: "numeric", day: "numeric", weekday: "short",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"
    });
  }
  var WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  var TOKENS = /'(?:[^']|'')*'|([A-Za-z])\1*|[^'A-Za-z]+/g;

  function two(number) { return (number < 10 ? "0" : "") + number; }

  function formatDate(value, pattern) {
    var date = value instanceof Date ? value : new Date(value);
    if (isNaN(date.getTime())) { return ""; }
    pattern = (names.patterns && names.patterns[pattern]) || pattern;
    var f = {};
    zoneParts.formatToParts(date).forEach(function (part) { f[part.type] = part.value; });
    var month = parseInt(f.month, 10) - 1;
    var day = WEEKDAYS[f.weekday];
    var months = names.months || [];
    var shortMonths = names.months_short || months;
    var days = names.days || [];
    var shortDays = names.days_short || days;
    return (pattern.match(TOKENS) || []).map(function (token) {
      if (token.charAt(0) === "'") {
        return token === "''" ? "'" : token.slice(1, -1).replace(/''/g, "'");
      }
      switch (token) {
        case "yyyy": case "y": return f.year;
        case "M": return String(month + 1);
        case "MM": return two(month + 1);
        case "MMM": return shortMonths[month] || String(month + 1);
        case "MMMM": return months[month] || String(month + 1);
        case "d": return String(parseInt(f.day, 10));
        case "dd": return two(parseInt(f.day, 10));
        case "EEE": return shortDays[day] || "";
        case "EEEE": return days[day] || "";
        case "H": return String(parseInt(f.hour, 10));
        case "HH": return two(parseInt(f.hour, 10));
        case "mm": return f.minute;
        case "ss": return f.second;
        case "z": case "zz": case "zzz": case "zzzz": return names.zone || "";
        default: return token;
      }
    }).join("");
  }

  /* A changed figure is highlighted for a moment (never with reduced motion). */
  var motion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  function highlight(element) {
    if (!element || (motion && motion.matches)) { return; }
    element.classList.remove("is-changed");
    void element.offsetWidth;  /* restart the animation when it changes again */
    element.classList.add("is-changed");
    clearTimeout(element.serambiChanged);
    element.serambiChanged = setTimeout(function () { element.classList.remove("is-changed"); }, 1700);
  }

  /* One polite live region reads out what changed, at most once per ANNOUNCE_GAP: a busy counter
     gives one short sentence now and then, with the latest figures, instead of talking over the
     page. Nothing is read in the first ANNOUNCE_GAP after the page opens. */
  var ANNOUNCE_GAP = 15000;
  var ANNOUNCED = { "online.guests": 1, "stats.total": 1, "poll.voters": 1, "page.readers": 1 };
  var announcer = document.getElementById("live-announcer");
  var pending = {};
  var pendingOrder = [];
  var lastSaid = Date.now();
  var announceTimer = null;

  function flushAnnouncements() {
    announceTimer = null;
    var said = pendingOrder.map(function (key) { return pending[key]; });
    pending = {};
    pendingOrder = [];
    if (!said.length) { return; }
    announcer.textContent = said.join(". ");
    lastSaid = Date.now();
  }

  function announce(key, text) {
    if (!announcer || !text) { return; }
    if (!Object.prototype.hasOwnProperty.call(pending, key)) { pendingOrder.push(key); }
    pending[key] = text;
    if (announceTimer === null) {
      announceTimer = setTimeout(flushAnnouncements, Math.max(0, lastSaid + ANNOUNCE_GAP - Date.now()));
    }
  }

  function spoken(element) {
    var label = element.getAttribute("data-label");
    return label ? label + ": " + element.textContent : element.textContent;
  }

  /* Word a number the way the server would: data-one / data-other hold "{n}" forms. */
  function setCount(element, value) {
    if (typeof value !== "number" || element.getAttribute("data-value") === String(value)) {
      return false;
    }
    element.setAttribute("data-value", String(value));
    var form = element.getAttribute("data-" + plurals.select(value)) ||
      element.getAttribute("data-other");
    var text = numbers.format(value);
    element.textContent = form ? form.replace("{n}", text) : text;
    highlight(element);
    return true;
  }

  function update(key, value) {
    var elements = document.querySelectorAll('[data-live="' + key + '"]');
    var words = null;
    for (var i = 0; i < elements.length; i++) {
      if (setCount(elements[i], value) && (words === null || !elements[i].closest(".live-strip"))) {
        words = spoken(elements[i]);
      }
    }
    if (words !== null && ANNOUNCED[key]) { announce(key, words); }
  }

  function updateDate(key, iso) {
    if (!iso) { return; }
    var elements = document.querySelectorAll('[data-live-date="' + key + '"]');
    for (var i = 0; i < elements.length; i++) {
      if (elements[i].getAttribute("datetime") !== iso) {
        elements[i].setAttribute("datetime", iso);
        elements[i].textContent = formatDate(iso, elements[i].getAttribute("data-date-pattern") || "datetime");
        elements[i].hidden = false;
      }
    }
  }

  /* The connection's state on <html data-live-state>: live, reconnecting or offline; the
     "Live" badges say it, and out of "live" they say as of when the figures were last current. */
  var OFFLINE_AFTER = 5;  /* failed reconnection attempts before "reconnecting" becomes "offline" */
  var texts = announcer ? {
    live: announcer.getAttribute("data-word-live"),
    reconnecting: announcer.getAttribute("data-word-reconnecting"),
    offline: announcer.getAttribute("data-word-offline"),
    asOf: announcer.getAttribute("data-as-of") || "{time}"
  } : {};
  var freshAt = new Date();  /* until a socket says otherwise, the figures are the page's own */

  function setState(state) {
    if (root.getAttribute("data-live-state") === state) { return; }
    root.setAttribute("data-live-state", state);
    root.classList.toggle("is-live", state === "live");
    var words = document.querySelectorAll("[data-live-word]");
    for (var i = 0; i < words.length; i++) { words[i].textContent = texts[state] || ""; }
    var times = document.querySelectorAll("[data-live-asof]");
    var iso = freshAt.toISOString();
    var asOf = texts.asOf.replace("{time}", formatDate(freshAt, "time"));
    for (var j = 0; j < times.length; j++) {
      times[j].hidden = state === "live";
      times[j].setAttribute("datetime", iso);
      times[j].textContent = asOf;
    }
  }

  live.update = update;
  live.setCount = setCount;
  live.highlight = highlight;
  live.announce = announce;
  live.formatDate = formatDate;
  live.state = function () { return root.getAttribute("data-live-state"); };

  if (typeof window.io !== "function") {
    return;  /* no socket client: the badges stay hidden and the figures are the page's */
  }
  var path = body.getAttribute("data-page-path") || window.location.pathname;
  var articleId = parseInt(body.getAttribute("data-article-id") || "", 10);
  var auth = { path: path, title: document.title };  /* the title names the page for moderators */
  if (articleId > 0) { auth.article = articleId; }
  var polls = Array.prototype.map.call(document.querySelectorAll(".poll[data-poll-id]"),
    function (element) { return parseInt(element.getAttribute("data-poll-id"), 10); });
  if (polls.length) { auth.polls = polls; }
  if (document.getElementById("module-poll")) { auth.poll_module = true; }
  var socket = window.io({
    auth: auth,
    transports: ["websocket"],
    reconnectionDelay: 1000,
    reconnectionDelayMax: 15000,
    randomizationFactor: 0.5
  });
  live.socket = socket;
  var failures = 0;

  function notLive() {
    setState(navigator.onLine === false || failures >= OFFLINE_AFTER || !socket.active ? "offline" : "reconnecting");
  }

  socket.on("connect", function () { failures = 0; setState("live"); });
  socket.on("disconnect", function () { freshAt = new Date(); notLive(); });
  socket.on("connect_error", function () {
    if (!socket.connected) { notLive(); }
  });
  socket.io.on("reconnect_attempt", function (attempt) {
    failures = attempt;
    if (!socket.connected) { notLive(); }
  });
  /* The browser knows first when the network is gone: say so at once, even before the socket's
     ping notices; when it is back, the socket's own state decides. */
  window.addEventListener("offline", function () {
    if (root.getAttribute("data-live-state") === "live") { freshAt = new Date(); }
    setState("offline");
  });
  window.addEventListener("online", function () {
    if (socket.connected) { setState("live"); } else { notLive(); }
  });

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
      var bar = row.querySelector(".poll-bar");
      if (bar.style.width !== option.percent + "%") {
        bar.style.width = option.percent + "%";
        live.highlight(bar);
      }
      row.querySelector("[data-poll-percent]").textContent = numbers.format(option.percent) + "%";
      var count = row.querySelector('[data-live="poll.votes"]');
      if (count) { live.setCount(count, option.votes); }
    });
    var voters = element.querySelector('[data-live="poll.voters"]');
    if (voters && live.setCount(voters, data.voters)) { live.announce("poll.voters", voters.textContent); }
    /* the live strip's figure for this poll, now that this visitor may see it */
    var strip = document.querySelector('[data-strip-poll="' + data.poll_id + '"]');
    if (strip) {
      strip.hidden = false;
      var stripVoters = strip.querySelector('[data-live="poll.voters"]');
      if (stripVoters) { live.setCount(stripVoters, data.voters); }
      var call = document.querySelector('[data-strip-poll-call="' + data.poll_id + '"]');
      if (call) { call.hidden = true; }
    }
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

  /* {poll_id}: the Polling module shows another poll now (an editor pinned one, or opened or
     closed one). The module is fetched anew and put in place; the server has this socket
     watching the new poll already, so its figures follow. */
  socket.on("poll_module", function (data) {
    var section = document.getElementById("module-poll");
    if (!section) { return; }
    var shown = section.querySelector(".poll[data-poll-id]");
    if (shown && parseInt(shown.getAttribute("data-poll-id"), 10) === data.poll_id) { return; }
    var back = window.location.pathname + window.location.search;
    fetch("/polling/modul?next=" + encodeURIComponent(back), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("module-poll");
        if (!fresh) { section.hidden = true; return; }
        section.replaceWith(document.adoptNode(fresh));
        var strip = document.querySelector("[data-strip-poll]");
        if (strip && data.poll_id) {  /* shown again when the new poll's results may be seen */
          strip.setAttribute("data-strip-poll", data.poll_id);
          strip.hidden = true;
          var call = document.querySelector("[data-strip-poll-call]");
          if (call) { call.setAttribute("data-strip-poll-call", data.poll_id); }
        }
      })
      .catch(function () { /* the page keeps the poll it had */ });
  });

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

/* The poll page's first and last vote, moved by each `poll_results` and spelled as the server
   spells them ("Senin, 8 Desember 2026 10:43", the "article" pattern). */
(function () {
  "use strict";
  var live = window.Serambi;
  if (!live || !live.socket) { return; }

  live.socket.on("poll_results", function (data) {
    ["first_vote", "last_vote"].forEach(function (key) {
      var element = document.querySelector('[data-poll-moment="' + data.poll_id + ":" + key + '"]');
      if (!element || !data[key] || element.getAttribute("datetime") === data[key]) { return; }
      element.setAttribute("datetime", data[key]);
      element.textContent = live.formatDate(data[key], "article");
      var row = element.closest("[data-poll-moment-row]");
      if (row) { row.hidden = false; }
    });
  });
})();
