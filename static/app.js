// Small behaviours for server-rendered pages. No inline scripts anywhere (strict CSP).
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Language switch: submit on change; the button is for pages without this script.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
    form.addEventListener("change", function () { form.submit(); });
  });

  // Forms that ask before doing something hard to undo.
  // Listened for on the document, so forms a live refresh brings in ask too.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-confirm]")) { return; }
    if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
  });

  // Read-only fields with a link to hand over: select all on focus.
  document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });

  // The pause clock in the top bar ("Almoço 12:34 / 60:00"): counts every second from
  // the start the server gave, allowing for this computer's clock, red past the limit.
  // Found again on each tick, as live updates replace it.
  function minutesSeconds(ms) {
    var s = Math.max(0, Math.floor(ms / 1000)), m = Math.floor(s / 60);
    return (m < 10 ? "0" : "") + m + ":" + (s % 60 < 10 ? "0" : "") + (s % 60);
  }
  function tickPauseClocks() {
    document.querySelectorAll("[data-pause-clock]").forEach(function (clock) {
      if (!clock.hasAttribute("data-skew")) {
        clock.setAttribute("data-skew", String(Number(clock.getAttribute("data-now")) - Date.now()));
      }
      var now = Date.now() + Number(clock.getAttribute("data-skew"));
      var limit = Number(clock.getAttribute("data-limit"));
      var elapsed = Number(clock.getAttribute("data-used")) + Math.max(0, now - Number(clock.getAttribute("data-started")));
      var time = clock.querySelector("[data-pause-time]"), over = clock.querySelector("[data-pause-over]");
      if (time) { time.textContent = minutesSeconds(elapsed) + " / " + minutesSeconds(limit); }
      clock.classList.toggle("is-over", elapsed > limit);
      if (over) { over.hidden = elapsed <= limit; }
    });
  }
  tickPauseClocks();
  window.setInterval(tickPauseClocks, 1000);

  // The menu search in the top bar: "/" (or Ctrl+K) from anywhere but a text field
  // puts the cursor there, the arrows walk the pages found, Enter opens the first one,
  // Esc and a click elsewhere put the suggestions away. Without this script the box
  // still works: it submits to /menu.
  var search = document.querySelector("[data-menu-search]");
  if (search) {
    var input = search.querySelector("input"), results = search.querySelector(".menu-results");
    var links = function () { return Array.prototype.slice.call(results.querySelectorAll("a")); };
    var typing = function (el) {
      var tag = (el.tagName || "").toLowerCase();
      return tag === "input" || tag === "textarea" || tag === "select" || el.isContentEditable;
    };
    var hide = function () { results.innerHTML = ""; };
    document.addEventListener("keydown", function (event) {
      var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target);
      var ctrlK = (event.ctrlKey || event.metaKey) && (event.key === "k" || event.key === "K");
      if (slash || ctrlK) { event.preventDefault(); input.focus(); input.select(); }
    });
    search.addEventListener("keydown", function (event) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (event.key === "Escape") { hide(); input.blur(); return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (all.length === 0) { return; }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        if (at < 0) { all[step > 0 ? 0 : all.length - 1].focus(); } else if (at + step < 0) { input.focus(); } else { all[(at + step) % all.length].focus(); }
      } else if (event.key === "Enter" && event.target === input && all.length > 0) {
        event.preventDefault();
        window.location.assign(all[0].getAttribute("href"));
      }
    });
    document.addEventListener("click", function (event) { if (!search.contains(event.target)) { hide(); } });
  }

  // The agent page tells the server it is still open; without this the session
  // reaper takes the agent out of routing after a couple of minutes.
  var workspace = document.querySelector("[data-heartbeat]");
  if (workspace) {
    var url = workspace.getAttribute("data-heartbeat");
    var beat = function () {
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
        body: ""
      }).then(function (res) {
        if (res.redirected || res.status === 401) { window.location.assign("/login"); }
      }).catch(function () { /* offline for a moment: the next beat retries */ });
    };
    beat();
    window.setInterval(beat, 30000);
  }
})();
