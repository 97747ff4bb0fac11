// Videos: the poster is a plain link to the video's page; a click here swaps it for the host's
// player (YouTube's no-cookie host, Vimeo without tracking), so nothing loads from them before.
(function () {
  "use strict";
  if (window.serambiVideo) {
    return; // the module and the video page may both include this file
  }
  window.serambiVideo = true;

  document.addEventListener("click", function (event) {
    var target = event.target;
    var poster = target && target.closest ? target.closest("[data-video-embed] .video-poster") : null;
    if (!poster || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var box = poster.closest("[data-video-embed]");
    var source = box.getAttribute("data-video-embed") || "";
    if (source.indexOf("https://") !== 0) {
      return;
    }
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.className = "video-frame";
    frame.src = source;
    frame.title = box.getAttribute("data-video-title") || "";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    box.replaceChild(frame, poster);
    box.classList.add("is-playing");
    frame.focus();
  });
})();
