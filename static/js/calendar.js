/* "Hari ini" and "sedang berlangsung" badges flip when an event starts or ends, without a reload.
   The server renders them right for the moment of the page; this keeps them right afterwards,
   by the same rule (content/calendar.py Occurrence.badge), in the site's time zone. */
(function () {
  "use strict";
  if (!document.querySelector(".cal-badge[data-start]")) { return; }
  var zone = document.body.getAttribute("data-timezone") || undefined;
  var days = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit"
  });

  function badgeFor(element, now) {
    var start = Date.parse(element.getAttribute("data-start"));
    var end = Date.parse(element.getAttribute("data-end"));
    var ended = end > start ? now >= end : now > end;
    if (ended) { return ""; }
    var allDay = element.getAttribute("data-all-day") === "1";
    var manyDays = element.getAttribute("data-many-days") === "1";
    if (start <= now && now < end && (!allDay || manyDays)) { return "ongoing"; }
    var today = days.format(new Date(now));  /* YYYY-MM-DD */
    if (element.getAttribute("data-first-day") <= today &&
        today <= element.getAttribute("data-last-day")) { return "today"; }
    return "";
  }

  function refresh() {
    var now = Date.now();
    var badges = document.querySelectorAll(".cal-badge[data-start]");
    for (var i = 0; i < badges.length; i++) {
      var element = badges[i];
      var badge = badgeFor(element, now);
      if (badge === element.getAttribute("data-badge")) { continue; }
      element.setAttribute("data-badge", badge);
      element.className = "badge cal-badge" + (badge ? " cal-badge-" + badge : "");
      element.textContent = badge ? element.getAttribute("data-text-" + badge) : "";
      element.hidden = !badge;
    }
  }

  refresh();
  window.setInterval(refresh, 15000);
})();
