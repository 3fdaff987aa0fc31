// "Monitoramento" live: one EventSource on /admin/monitoring/events; on "change" the
// sections are fetched again (the server folds bursts into one notice a second, and a
// fetch still running is followed by one more at its end, never by a pile). Times in a
// status or a queue keep counting between refreshes; pause clocks count in app.js.
(function () {
  "use strict";
  var root = document.getElementById("monitor");
  if (!root || !window.EventSource) { return; }
  var busy = false, again = false;

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(root.getAttribute("data-sections"), { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (response.redirected || response.status === 401 || response.status === 403) {
          window.location.reload();
          return null;
        }
        return response.ok || response.status === 422 ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && html !== undefined) { root.innerHTML = html; tick(); }
      })
      .catch(function () { /* the next notice tries again */ })
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  function hms(ms) {
    var s = Math.max(0, Math.floor(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    return h + ":" + (m < 10 ? "0" : "") + m + ":" + (s % 60 < 10 ? "0" : "") + (s % 60);
  }
  function tick() {
    root.querySelectorAll("[data-since]").forEach(function (el) {
      if (!el.hasAttribute("data-skew")) {
        el.setAttribute("data-skew", String(Number(el.getAttribute("data-now")) - Date.now()));
      }
      var now = Date.now() + Number(el.getAttribute("data-skew"));
      el.textContent = hms(now - Number(el.getAttribute("data-since")));
    });
    // A queue whose longest wait passes its threshold between refreshes turns red now.
    root.querySelectorAll("tr[data-wait-limit]").forEach(function (row) {
      var since = row.querySelector("[data-since]"), badge = row.querySelector("[data-wait-over]");
      if (!since || !badge) { return; }
      var waited = Date.now() + Number(since.getAttribute("data-skew")) - Number(since.getAttribute("data-since"));
      if (waited > Number(row.getAttribute("data-wait-limit"))) {
        row.classList.add("is-over");
        badge.hidden = false;
      }
    });
  }

  // The thresholds' form starts from the team's current ones when a team is chosen.
  var queue = document.getElementById("th-queue");
  if (queue) {
    queue.addEventListener("change", function () {
      var chosen = queue.options[queue.selectedIndex];
      document.getElementById("th-wait").value = chosen.getAttribute("data-wait") || "";
      document.getElementById("th-count").value = chosen.getAttribute("data-count") || "";
    });
  }
  window.setInterval(tick, 1000);

  var source = new EventSource(root.getAttribute("data-events"));
  source.addEventListener("change", function () {
    refresh();
    // The top bar's bell counts again too (a notification may be what changed).
    if (window.htmx) { window.htmx.trigger(document.body, "notices"); }
  });
  source.addEventListener("resync", function () { window.location.reload(); });
})();
