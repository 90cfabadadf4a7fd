// practicebank serve's live reload. Added to every HTML response by
// `practicebank serve` only, never to a built site.
//
// Listens to /__practicebank/events. Each event carries the served site's
// whole status: its version, whether the last change was to stylesheets
// only, and the problems of the last build if it failed. This page was
// served with the version in its data-version attribute: when the status
// has another, the page restyles (if the change was to stylesheets only and
// applies to this version), stays as it is (if the change applies to this
// version and lists the files it changed, none of them this page, its
// folder's files or the theme's assets), or reloads. Problems are shown over the page,
// built with textContent only, so nothing in a message is ever markup.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script && script.getAttribute("data-version");
  if (!version || typeof EventSource === "undefined") return;

  var OVERLAY_ID = "practicebank-problems";
  var source = new EventSource("/__practicebank/events");
  ["status", "reload", "css", "error", "ok"].forEach(function (name) {
    source.addEventListener(name, function (event) {
      update(JSON.parse(event.data));
    });
  });

  function update(status) {
    if (status.version !== version) {
      var restyle = status.restyle;
      var changed = status.changed;
      if (restyle && restyle.from === version) {
        swapStylesheets(restyle.stylesheets, status.version);
        version = status.version;
      } else if (changed && changed.from === version && !changed.files.some(touchesThisPage)) {
        version = status.version;
      } else {
        source.close();
        location.reload();
        return;
      }
    }
    if (status.problems.length > 0) {
      show(status.problems);
    } else {
      hide();
    }
  }

  // The file this page was served from, as the served folder names it
  // (`404.html` for a missing page); none for the page shown before the
  // first build, which every change reloads.
  var page = script.getAttribute("data-file");
  var folder = page === null ? "" : page.slice(0, page.lastIndexOf("/") + 1);

  function touchesThisPage(file) {
    if (page === null) return true;
    return file === page || file.indexOf("assets/") === 0 || (folder !== "" && file.indexOf(folder) === 0);
  }

  function swapStylesheets(stylesheets, newVersion) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (url.origin !== location.origin) continue;
      var path = decodeURIComponent(url.pathname).replace(/^\//, "");
      if (Object.prototype.hasOwnProperty.call(stylesheets, path)) {
        links[i].href = "/" + stylesheets[path] + "?v=" + encodeURIComponent(newVersion);
      }
    }
  }

  function hide() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }

  function element(tag, text, style) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (style) node.setAttribute("style", style);
    return node;
  }

  function show(problems) {
    hide();
    var overlay = element(
      "div",
      "",
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem 1rem;" +
        "background:rgba(11,12,12,.8);color:#fff;font:16px/1.5 system-ui,sans-serif;text-align:left"
    );
    overlay.id = OVERLAY_ID;
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", OVERLAY_ID + "-heading");
    var box = element("div", "", "max-width:60rem;margin:0 auto;padding:1.5rem;background:#0b0c0c");
    var heading = element(
      "h2",
      problems.length === 1 ? "The site could not be rebuilt: 1 problem" : "The site could not be rebuilt: " + problems.length + " problems",
      "margin:0 0 .5rem;font-size:1.5rem;color:#fff"
    );
    heading.id = OVERLAY_ID + "-heading";
    box.appendChild(heading);
    box.appendChild(
      element("p", "You are reading the last good build. Fix the file and save: this message goes away by itself.", "margin:0 0 1.5rem")
    );
    problems.forEach(function (problem) {
      var place = problem.file;
      if (problem.line) place += ":" + problem.line + (problem.column ? ":" + problem.column : "");
      var item = element("section", "", "margin:0 0 1.5rem;padding:1rem;border-left:5px solid #d4351c;background:#1d1f20");
      item.appendChild(element("p", place, "margin:0;font:bold 1rem/1.4 ui-monospace,monospace;color:#ffdd00"));
      item.appendChild(element("p", problem.message + " [" + problem.code + "]", "margin:.25rem 0 0;font-weight:bold"));
      if (problem.source_line !== null && problem.line) {
        var gutter = String(problem.line);
        var caret = " ".repeat(gutter.length) + " | " + " ".repeat(Math.max((problem.column || 1) - 1, 0)) + "^";
        item.appendChild(
          element("pre", gutter + " | " + problem.source_line + "\n" + caret, "margin:.5rem 0 0;overflow:auto;font:.95rem/1.4 ui-monospace,monospace;white-space:pre")
        );
      }
      if (problem.help) item.appendChild(element("p", "help: " + problem.help, "margin:.5rem 0 0;color:#b1d4f2"));
      box.appendChild(item);
    });
    var close = element("button", "Hide this message", "font:inherit;padding:.4rem .8rem;cursor:pointer");
    close.type = "button";
    close.addEventListener("click", hide);
    box.appendChild(close);
    overlay.appendChild(box);
    overlay.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
    document.body.appendChild(overlay);
    close.focus();
  }
})();
