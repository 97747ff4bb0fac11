// The rich-text editor (Jodit, installed from npm) over every textarea[data-rich-text]. The
// textarea stays the form field: without JavaScript, or if the editor does not load, it is
// there and works. The server's cleaner (content/sanitize.py) stays the authority: what is
// done here only spares the editor noise (Word's styles, Jodit's own table styles) and tells
// them early what the cleaner will remove.
(function () {
  "use strict";

  var configElement = document.getElementById("rich-text-config");
  if (!window.Jodit || !configElement) {
    return;
  }
  var settings = JSON.parse(configElement.textContent);
  var texts = settings.texts;
  var READ_MORE = '<hr id="system-readmore">';
  var ALIGNABLE = /^(P|H[1-6]|DIV|BLOCKQUOTE|LI|TD|TH|CAPTION|FIGURE|FIGCAPTION)$/;
  var KEEP = {
    A: ["href", "title", "target"],
    IMG: ["src", "alt", "width", "height", "title"],
    TD: ["colspan", "rowspan"],
    TH: ["colspan", "rowspan", "scope"],
    OL: ["start", "type"],
    IFRAME: ["src", "width", "height", "title", "allow", "allowfullscreen"],
    HR: ["id"]
  };
  // What the server's cleaner keeps (content/sanitize.py); anything else is unwrapped (its text
  // kept) or, for these, dropped with its content.
  var ALLOWED = /^(H[1-6]|P|BR|HR|DIV|SPAN|STRONG|B|EM|I|U|S|SUB|SUP|SMALL|MARK|BLOCKQUOTE|Q|CITE|CODE|PRE|ABBR|UL|OL|LI|DL|DT|DD|TABLE|CAPTION|THEAD|TBODY|TFOOT|TR|TH|TD|COLGROUP|COL|A|IMG|FIGURE|FIGCAPTION|IFRAME)$/;
  var DROP_WITH_CONTENT = /^(SCRIPT|STYLE|META|LINK|TITLE|XML|TEMPLATE|NOSCRIPT|OBJECT|EMBED|APPLET|SVG|MATH|HEAD|BASE|FRAME|FRAMESET|PORTAL|TEXTAREA|SELECT|BUTTON|INPUT|OPTION|PARAM|AUDIO|VIDEO|SOURCE|TRACK|CANVAS|MAP|AREA|XMP|NOEMBED|NOFRAMES|PLAINTEXT)$/;
  var UNWRAP_ALWAYS = /^(SPAN|DIV)$/;

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) {
      return values[name];
    });
  }

  // ---- Cleaning pasted and submitted HTML (inert: a parsed document, never the page) ----

  function alignmentOf(element) {
    var align = (element.getAttribute("align") || "").toLowerCase();
    var match = /text-align\s*:\s*(left|center|right|justify)/i.exec(element.getAttribute("style") || "");
    if (match) {
      align = match[1].toLowerCase();
    }
    return /^(center|right|justify)$/.test(align) ? align : "";
  }

  function styleOf(element) {
    return (element.getAttribute("style") || "").toLowerCase().replace(/\s+/g, "");
  }

  function rename(element, tagName) {
    var replacement = element.ownerDocument.createElement(tagName);
    while (element.firstChild) {
      replacement.appendChild(element.firstChild);
    }
    element.parentNode.replaceChild(replacement, element);
    return replacement;
  }

  function unwrap(element) {
    var parent = element.parentNode;
    while (element.firstChild) {
      parent.insertBefore(element.firstChild, element);
    }
    parent.removeChild(element);
  }

  function wordListInfo(paragraph) {
    var match = /mso-list:\s*l(\d+)\s+level(\d+)/i.exec(paragraph.getAttribute("style") || "");
    if (!match || /mso-list:\s*ignore/i.test(paragraph.getAttribute("style") || "")) {
      return null;
    }
    var marker = "";
    var ignored = paragraph.querySelectorAll("span");
    for (var i = 0; i < ignored.length; i += 1) {
      if (/mso-list:\s*ignore/i.test(ignored[i].getAttribute("style") || "")) {
        marker = marker || ignored[i].textContent.trim();
        ignored[i].remove();
      }
    }
    var ordered = /^(\(?[0-9]+|[a-z]|[ivxlc]+)[.)]/i.test(marker);
    return { list: match[1], level: parseInt(match[2], 10), ordered: ordered };
  }

  // Word writes a list as paragraphs styled "mso-list: l0 level1"; make them real lists.
  function convertWordLists(root) {
    var paragraphs = Array.prototype.slice.call(root.querySelectorAll("p[style*='mso-list'], p[class*='MsoList']"));
    var stack = [];
    var previous = null;
    paragraphs.forEach(function (paragraph) {
      var info = wordListInfo(paragraph);
      if (!info) {
        return;
      }
      var sibling = paragraph.previousSibling;
      while (sibling && sibling.nodeType !== 1 && !(sibling.nodeType === 3 && sibling.data.trim())) {
        sibling = sibling.previousSibling;
      }
      if (!previous || sibling !== previous.item) {
        stack = [];
      }
      var doc = paragraph.ownerDocument;
      var item = doc.createElement("li");
      while (paragraph.firstChild) {
        item.appendChild(paragraph.firstChild);
      }
      while (stack.length > info.level) {
        stack.pop();
      }
      if (!stack.length) {
        var top = doc.createElement(info.ordered ? "ol" : "ul");
        paragraph.parentNode.insertBefore(top, paragraph);
        stack.push(top);
      }
      while (stack.length < info.level) {
        var parentList = stack[stack.length - 1];
        var holder = parentList.lastElementChild || parentList.appendChild(doc.createElement("li"));
        var nested = doc.createElement(info.ordered ? "ol" : "ul");
        holder.appendChild(nested);
        stack.push(nested);
      }
      stack[stack.length - 1].appendChild(item);
      paragraph.parentNode.replaceChild(doc.createTextNode(""), paragraph);
      previous = { item: stack[0] };
      // The next paragraph follows the list's top element, not the removed paragraph.
      previous.item = stack[0];
    });
  }

  function cleanElement(element) {
    var name = element.tagName.toUpperCase();
    if (DROP_WITH_CONTENT.test(name)) {
      element.remove();
      return;
    }
    // Google Docs and LibreOffice write bold, italic and underline as styled spans.
    var style = styleOf(element);
    if (name === "SPAN" || name === "FONT") {
      var inner = element;
      if (/(^|;)font-weight:(bold|[6-9]00)/.test(style)) {
        inner = wrapChildren(inner, "strong");
      }
      if (/(^|;)font-style:italic/.test(style)) {
        inner = wrapChildren(inner, "em");
      }
      if (/(^|;)text-decoration(-line)?:[^;]*underline/.test(style) && !element.closest("a")) {
        wrapChildren(inner, "u");
      }
    }
    if (name === "B" && /(^|;)font-weight:(normal|400)/.test(style)) {
      unwrap(element); // Google Docs wraps a whole paste in <b style="font-weight:normal">
      return;
    }
    if (name === "B") {
      element = rename(element, "strong");
    } else if (name === "I") {
      element = rename(element, "em");
    } else if (name === "A" && !element.getAttribute("href")) {
      unwrap(element); // Word's bookmarks
      return;
    } else if (!ALLOWED.test(name) || (UNWRAP_ALWAYS.test(name) && !alignmentOf(element))) {
      unwrap(element); // <font>, <o:p>, Word's section <div>s, styled <span>s: their text stays
      return;
    } else if (name === "IFRAME" && !isVideoFrame(element.getAttribute("src") || "")) {
      element.remove();
      return;
    }
    if (name === "IMG" || name === "IFRAME") {
      sizeFromStyle(element); // Jodit's resize handles write the size as a style
    }
    var align = ALIGNABLE.test(element.tagName) ? alignmentOf(element) : "";
    var keep = KEEP[element.tagName] || [];
    Array.prototype.slice.call(element.attributes).forEach(function (attribute) {
      var attributeName = attribute.name.toLowerCase();
      var allowed = keep.indexOf(attributeName) !== -1;
      if (attributeName === "id" && element.getAttribute("id") !== "system-readmore") {
        allowed = false;
      }
      if (/^on/.test(attributeName) || /^\s*(javascript|vbscript|data):/i.test(attribute.value.replace(/[\s\u0000-\u001f]/g, ""))) {
        allowed = false;
      }
      if (!allowed) {
        element.removeAttribute(attribute.name);
      }
    });
    if (align) {
      element.setAttribute("style", "text-align: " + align + ";");
    }
  }

  function sizeFromStyle(element) {
    ["width", "height"].forEach(function (dimension) {
      var styled = new RegExp("(^|;)\\s*" + dimension + "\\s*:\\s*(\\d{1,5})(px)?\\s*(;|$)", "i")
        .exec(element.getAttribute("style") || "");
      var value = styled ? styled[2] : (element.getAttribute(dimension) || "").replace(/px$/i, "").trim();
      if (/^\d{1,5}%?$/.test(value)) {
        element.setAttribute(dimension, value);
      } else {
        element.removeAttribute(dimension);
      }
    });
  }

  function isVideoFrame(src) {
    try {
      var url = new URL(src);
      return url.protocol === "https:" && settings.videoHosts.indexOf(url.hostname) !== -1;
    } catch (error) {
      return false;
    }
  }

  function wrapChildren(element, tagName) {
    var wrapper = element.ownerDocument.createElement(tagName);
    while (element.firstChild) {
      wrapper.appendChild(element.firstChild);
    }
    element.appendChild(wrapper);
    return wrapper;
  }

  // A Word table cell (and a Google Docs or LibreOffice list item) holds a paragraph per line;
  // a single one is just the cell's text.
  function simplifyCells(root) {
    root.querySelectorAll("td, th, li").forEach(function (cell) {
      var children = Array.prototype.filter.call(cell.childNodes, function (node) {
        return node.nodeType === 1 || (node.nodeType === 3 && node.data.trim());
      });
      if (children.length === 1 && children[0].tagName === "P") {
        unwrap(children[0]);
      }
    });
  }

  function removeComments(root) {
    var walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
    var comments = [];
    while (walker.nextNode()) {
      comments.push(walker.currentNode);
    }
    comments.forEach(function (comment) {
      comment.remove();
    });
  }

  function tidy(html) {
    if (typeof html !== "string") {
      return html; // Jodit asks about a fragment too: what it holds was tidied when pasted
    }
    // Word's clipboard carries a <style> block: dropped as text first, so that not even the
    // inert parse asks the page's CSP about it.
    html = html.replace(/<style[\s\S]*?<\/style\s*>/gi, "");
    var doc = new DOMParser().parseFromString("<!doctype html><body>" + html, "text/html");
    var root = doc.body;
    removeComments(root);
    convertWordLists(root);
    // Deepest first, so that unwrapping and renaming never skip an element.
    var elements = Array.prototype.slice.call(root.querySelectorAll("*")).reverse();
    elements.forEach(function (element) {
      if (element.isConnected && root.contains(element)) {
        cleanElement(element);
      }
    });
    simplifyCells(root);
    root.querySelectorAll("p").forEach(function (paragraph) {
      if (!paragraph.textContent.replace(/\u00a0/g, " ").trim() && !paragraph.querySelector("img, iframe, br")) {
        paragraph.remove(); // Word's empty spacing paragraphs
      }
    });
    return root.innerHTML.replace(/\u00a0/g, "&nbsp;").replace(/\uFEFF/g, "").trim();
  }

  // ---- Talking to the server ----

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": settings.csrf, Accept: "application/json" }
    });
  }

  function showReport(box, heading, removed) {
    box.textContent = "";
    if (!removed || !removed.length) {
      box.hidden = true;
      return;
    }
    var title = document.createElement("p");
    title.textContent = heading;
    var list = document.createElement("ul");
    removed.forEach(function (phrase) {
      var item = document.createElement("li");
      item.textContent = phrase;
      list.appendChild(item);
    });
    box.appendChild(title);
    box.appendChild(list);
    box.hidden = false;
  }

  function askCleaner(html, box) {
    var body = new FormData();
    body.append("html", html);
    return post(settings.preview, body)
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer) {
          showReport(box, texts.willRemove, answer.removed);
        }
      })
      .catch(function () {});
  }

  // ---- Dialogs ----

  function openDialog(dialog, onClose) {
    dialog.querySelectorAll("[data-dialog-cancel]").forEach(function (button) {
      button.onclick = function () {
        dialog.close("cancel");
      };
    });
    dialog.onclose = function () {
      onClose(dialog.returnValue);
    };
    dialog.returnValue = "";
    dialog.showModal();
  }

  var imageDialog = document.getElementById("rich-image-dialog");
  var image = {
    file: document.getElementById("rich-image-file"),
    chosen: document.getElementById("rich-image-chosen"),
    search: document.getElementById("rich-image-search"),
    library: document.getElementById("rich-image-library"),
    alt: document.getElementById("rich-image-alt"),
    decorative: document.getElementById("rich-image-decorative"),
    error: document.getElementById("rich-image-error"),
    insert: document.getElementById("rich-image-insert"),
    picked: null,
    droppedFile: null
  };

  function imageFile() {
    return image.droppedFile || (image.file.files && image.file.files[0]) || null;
  }

  function showChosen() {
    var file = imageFile();
    image.chosen.textContent = file ? format(texts.chosen, { name: file.name }) : "";
  }

  image.file.addEventListener("change", function () {
    image.droppedFile = null;
    image.picked = null;
    markPicked(null);
    showChosen();
  });
  image.decorative.addEventListener("change", function () {
    image.alt.disabled = image.decorative.checked;
  });

  function markPicked(button) {
    image.library.querySelectorAll("button").forEach(function (other) {
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    });
  }

  function imagesOf(answer) {
    if (Array.isArray(answer)) {
      return answer;
    }
    return answer.images || answer.items || answer.results || [];
  }

  var searchTimer = null;
  function loadLibrary() {
    var url = settings.library + "?q=" + encodeURIComponent(image.search.value || "") + "&page=1";
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (answer) {
        image.library.textContent = "";
        var found = imagesOf(answer);
        if (!found.length) {
          var none = document.createElement("p");
          none.className = "hint";
          none.textContent = texts.noImages;
          image.library.appendChild(none);
        }
        found.forEach(function (item) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "rich-library-item";
          button.setAttribute("aria-pressed", "false");
          var thumbnail = document.createElement("img");
          thumbnail.src = item.thumbnail || item.url;
          thumbnail.alt = "";
          var label = document.createElement("span");
          label.textContent = item.alt || item.name || item.filename || item.url;
          button.appendChild(thumbnail);
          button.appendChild(label);
          button.addEventListener("click", function () {
            image.picked = item;
            image.droppedFile = null;
            image.file.value = "";
            showChosen();
            markPicked(button);
            if (item.alt && !image.alt.value) {
              image.alt.value = item.alt;
            }
          });
          image.library.appendChild(button);
        });
      })
      .catch(function () {
        image.library.textContent = "";
        var failed = document.createElement("p");
        failed.className = "hint";
        failed.textContent = texts.loadFailed;
        image.library.appendChild(failed);
      });
  }
  image.search.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(loadLibrary, 300);
  });

  function imageElement(editor, data, alt) {
    var element = editor.createInside.element("img");
    element.setAttribute("src", data.url);
    element.setAttribute("alt", alt);
    if (data.width && data.height) {
      element.setAttribute("width", String(data.width));
      element.setAttribute("height", String(data.height));
    }
    return element;
  }

  // The alternative text of an image already in the text, from its popup: the same dialog
  // without the choice of image.
  function openAltDialog(editor, element) {
    var source = document.getElementById("rich-image-source");
    var title = document.getElementById("rich-image-title");
    source.hidden = true;
    title.textContent = texts.altTitle;
    image.alt.value = element.getAttribute("alt") || "";
    image.decorative.checked = element.getAttribute("alt") === "";
    image.alt.disabled = image.decorative.checked;
    image.error.textContent = "";
    image.insert.disabled = false;
    imageDialog.querySelector("form").onsubmit = function (event) {
      event.preventDefault();
      var alt = image.decorative.checked ? "" : image.alt.value.trim();
      if (!alt && !image.decorative.checked) {
        image.error.textContent = texts.needAlt;
        image.alt.focus();
        return;
      }
      element.setAttribute("alt", alt);
      imageDialog.close("insert");
      editor.synchronizeValues();
    };
    openDialog(imageDialog, function () {
      source.hidden = false;
      title.textContent = texts.imageTitle;
    });
    image.alt.focus();
  }

  function openImageDialog(editor, droppedFile) {
    editor.s.save();
    image.picked = null;
    image.droppedFile = droppedFile || null;
    image.file.value = "";
    image.alt.value = "";
    image.alt.disabled = false;
    image.decorative.checked = false;
    image.error.textContent = "";
    image.insert.disabled = false;
    showChosen();
    loadLibrary();
    imageDialog.querySelector("form").onsubmit = function (event) {
      event.preventDefault();
      var file = imageFile();
      var decorative = image.decorative.checked;
      var alt = decorative ? "" : image.alt.value.trim();
      if (!file && !image.picked) {
        image.error.textContent = texts.needImage;
        return;
      }
      if (!alt && !decorative) {
        image.error.textContent = texts.needAlt;
        image.alt.focus();
        return;
      }
      if (image.picked) {
        imageDialog.close("insert");
        insertImage(editor, image.picked, alt);
        return;
      }
      var body = new FormData();
      body.append("file", file, file.name);
      body.append("alt", alt);
      if (decorative) {
        body.append("decorative", "1");
      }
      image.error.textContent = "";
      image.chosen.textContent = texts.uploading;
      image.insert.disabled = true;
      post(settings.upload, body)
        .then(function (response) {
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (answer) {
              if (!response.ok || !answer.url) {
                throw new Error(answer.error || texts.uploadFailed);
              }
              imageDialog.close("insert");
              insertImage(editor, answer, alt);
            });
        })
        .catch(function (error) {
          image.insert.disabled = false;
          showChosen();
          image.error.textContent = error.message || texts.uploadFailed;
        });
    };
    openDialog(imageDialog, function () {
      image.droppedFile = null;
      editor.s.restore();
      backToText(editor);
    });
    (droppedFile ? image.alt : image.file).focus();
  }

  function insertImage(editor, data, alt) {
    editor.s.restore();
    editor.s.insertNode(imageElement(editor, data, alt), true, true);
    editor.synchronizeValues();
    backToText(editor);
  }

  // After a dialog the keyboard goes on in the text, where the caret was (or after what was
  // inserted), not on the toolbar button the dialog hands focus back to.
  function backToText(editor) {
    editor.editor.focus({ preventScroll: true });
  }

  // ---- Video ----

  var videoDialog = document.getElementById("rich-video-dialog");
  var video = {
    url: document.getElementById("rich-video-url"),
    name: document.getElementById("rich-video-name"),
    error: document.getElementById("rich-video-error")
  };

  function embedAddress(address) {
    var url;
    try {
      url = new URL(address.trim());
    } catch (error) {
      return { error: texts.badVideo };
    }
    var host = url.hostname.toLowerCase();
    var youtube = null;
    if (/^(www\.|m\.)?youtube(-nocookie)?\.com$/.test(host)) {
      youtube = url.searchParams.get("v") || ((/^\/(?:embed|shorts|live|v)\/([^/]+)/.exec(url.pathname) || [])[1]);
    } else if (host === "youtu.be") {
      youtube = url.pathname.slice(1).split("/")[0];
    }
    var candidates = [];
    if (youtube && /^[A-Za-z0-9_-]{11}$/.test(youtube)) {
      candidates = [
        "https://www.youtube-nocookie.com/embed/" + youtube,
        "https://www.youtube.com/embed/" + youtube
      ];
    }
    var vimeo = /^(www\.|player\.)?vimeo\.com$/.test(host) && /^\/(?:video\/)?(\d{1,12})\/?$/.exec(url.pathname);
    if (vimeo) {
      candidates = ["https://player.vimeo.com/video/" + vimeo[1] + "?dnt=1"];
    }
    if (!candidates.length) {
      return { error: texts.badVideo };
    }
    for (var i = 0; i < candidates.length; i += 1) {
      if (settings.videoHosts.indexOf(new URL(candidates[i]).hostname) !== -1) {
        return { src: candidates[i] };
      }
    }
    return { error: texts.notAllowedHost };
  }

  function openVideoDialog(editor) {
    editor.s.save();
    video.url.value = "";
    video.name.value = "";
    video.error.textContent = "";
    videoDialog.querySelector("form").onsubmit = function (event) {
      event.preventDefault();
      var embed = embedAddress(video.url.value);
      if (embed.error) {
        video.error.textContent = embed.error;
        video.url.focus();
        return;
      }
      videoDialog.close("insert");
      var frame = editor.createInside.element("iframe");
      frame.setAttribute("src", embed.src);
      frame.setAttribute("width", "560");
      frame.setAttribute("height", "315");
      frame.setAttribute("title", video.name.value.trim() || texts.video);
      frame.setAttribute("allow", "encrypted-media; picture-in-picture; fullscreen");
      frame.setAttribute("allowfullscreen", "");
      editor.s.restore();
      editor.s.insertNode(frame, true, true);
      editor.synchronizeValues();
      backToText(editor);
    };
    openDialog(videoDialog, function () {
      editor.s.restore();
      backToText(editor);
    });
    video.url.focus();
  }

  function leaveFormat(editor, element) {
    var doc = editor.ed;
    var selection = doc.getSelection();
    var range = selection.getRangeAt(0);
    var tail = doc.createRange();
    tail.setStart(range.startContainer, range.startOffset);
    tail.setEndAfter(element);
    var rest = tail.extractContents(); // what followed the caret, in a copy of the element
    var caretHome = doc.createTextNode("\uFEFF");
    element.parentNode.insertBefore(caretHome, element.nextSibling);
    if (rest.textContent.replace(/\uFEFF/g, "")) {
      caretHome.parentNode.insertBefore(rest, caretHome.nextSibling);
    }
    var caret = doc.createRange();
    caret.setStart(caretHome, 1);
    caret.collapse(true);
    selection.removeAllRanges();
    selection.addRange(caret);
    editor.synchronizeValues();
    editor.e.fire("updateToolbar"); // the button shows the format off again
  }

  // ---- Tables: the header row ----

  function toggleHeaderRow(editor, cell) {
    var table = cell && cell.closest ? cell.closest("table") : null;
    if (!table) {
      return;
    }
    var doc = table.ownerDocument;
    var head = table.tHead;
    if (head) {
      // Back to an ordinary first row.
      var body = table.tBodies[0] || table.appendChild(doc.createElement("tbody"));
      Array.prototype.slice.call(head.rows).reverse().forEach(function (row) {
        Array.prototype.slice.call(row.cells).forEach(function (th) {
          var td = rename(th, "td");
          td.removeAttribute("scope");
        });
        body.insertBefore(row, body.firstChild);
      });
      head.remove();
    } else {
      var first = table.rows[0];
      if (!first) {
        return;
      }
      var thead = doc.createElement("thead");
      table.insertBefore(thead, table.firstChild);
      thead.appendChild(first);
      Array.prototype.slice.call(first.cells).forEach(function (td) {
        var th = rename(td, "th");
        th.setAttribute("scope", "col");
      });
    }
    editor.synchronizeValues();
  }

  // ---- The editor ----

  function hasReadMore(editor) {
    return Boolean(editor.editor.querySelector("hr#system-readmore"));
  }

  function buttons(readMore) {
    var list = [
      "paragraph", "|", "bold", "italic", "underline", "|", "ul", "ol", "|",
      "link", "serambiQuote", "align", "|", "table", "serambiImage", "serambiVideo"
    ];
    if (readMore) {
      list.push("serambiReadMore");
    }
    return list.concat(["|", "undo", "redo", "|", "source"]);
  }

  function makeEditor(textarea) {
    var form = textarea.form;
    var fullField = textarea.dataset.readMoreInto ? document.getElementById(textarea.dataset.readMoreInto) : null;
    var label = document.querySelector("label[for='" + textarea.id + "']");
    if (fullField) {
      // One text as in Joomla: intro, the "Read more" break, full text. The server splits it.
      if (fullField.value.trim()) {
        textarea.value = textarea.value + READ_MORE + fullField.value;
      }
      fullField.value = "";
      var fullLabel = document.querySelector("label[for='" + fullField.id + "']");
      [fullField, fullLabel].forEach(function (element) {
        if (element) {
          element.hidden = true;
          element.classList.add("rich-hidden");
        }
      });
      if (label) {
        label.textContent = texts.text;
        var hint = document.createElement("p");
        hint.className = "hint rich-hint";
        hint.id = textarea.id + "-rich-hint";
        hint.textContent = texts.textHint + " " + texts.keyboardHint;
        label.insertAdjacentElement("afterend", hint);
      }
    }
    var report = document.createElement("div");
    report.className = "notice notice-removed rich-report";
    report.setAttribute("role", "status");
    report.setAttribute("data-editor-report", "");
    report.hidden = true;

    var editor = Jodit.make(textarea, {
      language: settings.language,
      nonce: settings.styleNonce, // the selected table cells are styled by a <style> of Jodit's
      toolbarAdaptive: false,
      toolbarSticky: false,
      showCharsCounter: false,
      showWordsCounter: false,
      showXPathInStatusbar: false,
      hidePoweredByJodit: true,
      showPlaceholder: false,
      height: fullField || textarea.rows > 10 ? 520 : 320,
      minHeight: 200,
      editorClassName: "article-body",
      sourceEditor: "area",
      beautifyHTML: false,
      processPasteHTML: false,
      askBeforePasteHTML: false,
      askBeforePasteFromWord: false,
      enableDragAndDropFileToEditor: false,
      uploader: { insertImageAsBase64URI: false },
      link: { noFollowCheckbox: false, openInNewTabCheckbox: true, modeClassName: false },
      cleanHTML: {
        denyTags: "script,style,object,embed,applet,template,noscript,svg,math",
        removeEventAttributes: true,
        removeTrailingBr: true,
        safeJavaScriptLink: true,
        sandboxIframesInContent: false,
        convertUnsafeEmbeds: false,
        sanitizer: tidy
      },
      controls: {
        paragraph: {
          // The article's title is its h1: the text starts at h2.
          list: Jodit.atom({
            p: texts.paragraph,
            h2: format(texts.heading, { level: 2 }),
            h3: format(texts.heading, { level: 3 }),
            h4: format(texts.heading, { level: 4 }),
            blockquote: texts.quote
          })
        },
        serambiQuote: {
          text: "\u201c\u201d",
          tooltip: texts.quote,
          exec: function (jodit) {
            var inQuote = jodit.s.current() && Jodit.modules.Dom.closest(jodit.s.current(), "blockquote", jodit.editor);
            jodit.execCommand("formatBlock", false, inQuote ? "p" : "blockquote");
          }
        },
        serambiImage: {
          icon: "image",
          tooltip: texts.image,
          exec: function (jodit) {
            openImageDialog(jodit);
          }
        },
        serambiVideo: {
          icon: "video",
          tooltip: texts.video,
          exec: function (jodit) {
            openVideoDialog(jodit);
          }
        },
        serambiReadMore: {
          text: texts.readMore,
          tooltip: texts.readMoreTitle,
          exec: function (jodit) {
            if (hasReadMore(jodit)) {
              report.textContent = texts.readMoreThere;
              report.hidden = false;
              return;
            }
            jodit.s.insertHTML(READ_MORE);
            jodit.synchronizeValues();
          }
        }
      },
      buttons: buttons(Boolean(fullField)),
      popup: {
        img: [
          {
            name: "serambiAlt",
            text: texts.altText,
            tooltip: texts.altText,
            exec: function (jodit, element) {
              jodit.e.fire("hidePopup");
              openAltDialog(jodit, element);
            }
          },
          "delete"
        ],
        cells: [
          "addrow", "addcolumn", "deleteTable", "merge", "splitv",
          {
            name: "serambiHeaderRow",
            text: texts.headerRow,
            tooltip: texts.headerRow,
            exec: function (jodit, cell) {
              toggleHeaderRow(jodit, cell);
            }
          }
        ]
      }
    });
    editor.container.insertAdjacentElement("afterend", report);
    // The text buttons get their tooltip as their name too (Jodit names only icon buttons).
    ["serambiQuote", "serambiReadMore", "serambiImage", "serambiVideo"].forEach(function (name) {
      editor.container.querySelectorAll("[data-ref='" + name + "'] button, button[data-ref='" + name + "']").forEach(function (button) {
        var control = editor.o.controls[name];
        button.setAttribute("aria-label", control.tooltip);
      });
    });
    editor.editor.style.setProperty("--read-more-label", JSON.stringify(texts.readMore));
    // One tab stop for the toolbar (its first button); the arrow keys move along it, Escape
    // goes back to the text, Alt+F10 comes to it from the text (Jodit's toolbar navigation).
    function toolbarTabStop() {
      var first = editor.toolbar && editor.toolbar.container.querySelector("button:not([disabled])");
      if (first) {
        first.tabIndex = 0;
      }
    }
    toolbarTabStop();
    // Jodit also marks a pressed button's list item aria-pressed, which a list item may not
    // carry (axe: aria-allowed-attr); the button inside it says so already.
    function unpressItems(root) {
      root.querySelectorAll("[role=listitem][aria-pressed]").forEach(function (item) {
        item.removeAttribute("aria-pressed");
      });
    }
    unpressItems(editor.container);
    new MutationObserver(function () {
      unpressItems(editor.container);
    }).observe(editor.container, { attributes: true, attributeFilter: ["aria-pressed"], subtree: true });
    editor.e.on("afterSetMode updateToolbar", function () {
      setTimeout(toolbarTabStop, 0);
    });
    // Named by its label (aria-labelledby: Jodit shows an aria-label as a hover tooltip).
    if (label) {
      label.id = label.id || textarea.id + "-label";
      editor.editor.setAttribute("aria-labelledby", label.id);
    } else {
      editor.editor.setAttribute("aria-label", texts.text);
    }
    editor.editor.setAttribute("aria-multiline", "true");
    editor.editor.setAttribute("role", "textbox");
    if (label && fullField) {
      editor.editor.setAttribute("aria-describedby", textarea.id + "-rich-hint");
    }
    if (label) {
      label.addEventListener("click", function () {
        editor.s.focus();
      });
    }

    // Bold, italic or underline pressed again with nothing selected ends the format where the
    // caret is (Jodit 4 leaves the caret inside it, so the next words stay bold).
    var FORMAT_TAGS = { bold: "strong,b", italic: "em,i", underline: "u" };
    var formatBefore = null;
    editor.e.on("beforeCommand", function (command) {
      var tags = FORMAT_TAGS[String(command).toLowerCase()];
      formatBefore = null;
      if (tags && editor.s.isCollapsed() && editor.s.current()) {
        var node = editor.s.current();
        var element = node.nodeType === 1 ? node : node.parentElement;
        formatBefore = element && element.closest(tags);
        if (formatBefore && !editor.editor.contains(formatBefore)) {
          formatBefore = null;
        }
      }
    });
    editor.e.on("afterCommand", function (command) {
      var tags = FORMAT_TAGS[String(command).toLowerCase()];
      var wasInside = formatBefore;
      formatBefore = null;
      if (!tags || !wasInside || !editor.s.isCollapsed()) {
        return;
      }
      // Still inside the same kind of element (Jodit rebuilt it): the toggle did nothing.
      var node = editor.s.current();
      var inside = node && (node.nodeType === 1 ? node : node.parentElement);
      var element = inside && inside.closest(tags);
      if (element && editor.editor.contains(element)) {
        leaveFormat(editor, element);
      }
    });

    // Pasted HTML (Word, LibreOffice, Google Docs) loses its styles, classes and mso- noise
    // here; pasted or dropped image files go to the media library with alt text asked for.
    editor.e.on("beforePaste", function (event) {
      var data = event.clipboardData;
      if (!data) {
        return;
      }
      var files = Array.prototype.filter.call(data.files || [], function (file) {
        return /^image\//.test(file.type);
      });
      if (files.length) {
        event.preventDefault();
        openImageDialog(editor, files[0]);
        return false;
      }
      var html = data.getData("text/html");
      if (html) {
        event.preventDefault();
        editor.s.insertHTML(tidy(html));
        editor.synchronizeValues();
        return false;
      }
    });
    editor.editor.addEventListener(
      "drop",
      function (event) {
        var files = Array.prototype.filter.call((event.dataTransfer && event.dataTransfer.files) || [], function (file) {
          return /^image\//.test(file.type);
        });
        if (!files.length) {
          return;
        }
        event.preventDefault();
        event.stopPropagation();
        openImageDialog(editor, files[0]);
      },
      true
    );
    editor.editor.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types || [], "Files") !== -1) {
        event.preventDefault();
      }
    });

    // In the HTML view, what the cleaner will remove is told while typing (and when leaving).
    var reportTimer = null;
    var lastAsked = null;
    function sourceText() {
      var mirror = editor.container.querySelector("textarea.jodit-source__mirror");
      return mirror ? mirror.value : editor.value;
    }
    function checkSource() {
      var html = sourceText();
      if (html !== lastAsked) {
        lastAsked = html;
        askCleaner(html, report);
      }
    }
    editor.container.addEventListener("input", function (event) {
      if (event.target && event.target.classList && event.target.classList.contains("jodit-source__mirror")) {
        clearTimeout(reportTimer);
        reportTimer = setTimeout(checkSource, 400);
      }
    });
    editor.container.addEventListener("paste", function (event) {
      if (event.target && event.target.classList && event.target.classList.contains("jodit-source__mirror")) {
        clearTimeout(reportTimer);
        reportTimer = setTimeout(checkSource, 50);
      }
    });
    editor.e.on("beforeSetMode", function () {
      if (editor.getRealMode() === Jodit.constants.MODE_SOURCE) {
        clearTimeout(reportTimer);
        checkSource();
      }
    });

    form.addEventListener("submit", function () {
      editor.synchronizeValues();
      textarea.value = tidy(editor.value);
      if (fullField) {
        fullField.value = "";
      }
    });
    return editor;
  }

  document.querySelectorAll("textarea[data-rich-text]").forEach(makeEditor);
})();
