// The workspace's three lists as tabs ("Em atendimento", "Em espera", "Pendentes").
// The lists are re-fetched on every live update; the agent's tab is kept across those
// refreshes and across pages of this browser tab. A conversation that starts waiting
// while "Em espera" is not shown makes that tab's count pulse, puts the number of new
// ones in the window title and is announced to screen readers.
(function () {
  "use strict";
  var root = document.querySelector(".ws[data-events]");
  if (!root) { return; }
  var TAB = "atende-list-tab", SEEN = "atende-waiting-seen", NEW = "atende-waiting-new";
  var title = document.title;

  function load(key, fallback) {
    try {
      var value = window.sessionStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { window.sessionStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function lists() { return document.getElementById("lists"); }
  function tabs() {
    var l = lists();
    return l ? Array.prototype.slice.call(l.querySelectorAll("[role=tab][data-tab]")) : [];
  }
  function current() {
    var chosen = load(TAB, "mine");
    return tabs().some(function (t) { return t.getAttribute("data-tab") === chosen; }) ? chosen : "mine";
  }

  function show(name) {
    tabs().forEach(function (tab) {
      var on = tab.getAttribute("data-tab") === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      var panel = document.getElementById(tab.getAttribute("aria-controls"));
      if (panel) { panel.hidden = !on; }
    });
  }
  function choose(name) {
    save(TAB, name);
    show(name);
    signal();
  }

  // New waiting conversations: ids seen in "Em espera" and those not looked at yet.
  function waitingIds() {
    var l = lists();
    var rows = l ? l.querySelectorAll("[data-list=waiting] [data-conversation]") : [];
    return Array.prototype.map.call(rows, function (r) { return Number(r.getAttribute("data-conversation")); });
  }
  function signal() {
    var ids = waitingIds();
    var seen = load(SEEN, null);
    var fresh = seen === null ? [] : ids.filter(function (id) { return seen.indexOf(id) < 0; });
    var unseen = load(NEW, []).filter(function (id) { return ids.indexOf(id) >= 0; });
    fresh.forEach(function (id) { if (unseen.indexOf(id) < 0) { unseen.push(id); } });
    if (current() === "waiting") { unseen = []; }
    save(SEEN, ids);
    save(NEW, unseen);
    var tab = tabs().filter(function (t) { return t.getAttribute("data-tab") === "waiting"; })[0];
    if (tab) { tab.classList.toggle("has-new", unseen.length > 0); }
    document.title = unseen.length ? "(" + unseen.length + ") " + title : title;
    var news = document.getElementById("lists-news");
    if (news && fresh.length) {
      news.textContent = "";
      window.setTimeout(function () { news.textContent = root.getAttribute("data-notify-waiting"); }, 50);
    }
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest && event.target.closest("#lists [role=tab][data-tab]");
    if (tab) { choose(tab.getAttribute("data-tab")); }
  });
  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest("#lists [role=tab][data-tab]");
    if (!tab) { return; }
    var all = tabs(), at = all.indexOf(tab), next = null;
    if (event.key === "ArrowRight") { next = all[(at + 1) % all.length]; }
    if (event.key === "ArrowLeft") { next = all[(at - 1 + all.length) % all.length]; }
    if (event.key === "Home") { next = all[0]; }
    if (event.key === "End") { next = all[all.length - 1]; }
    if (next) {
      event.preventDefault();
      choose(next.getAttribute("data-tab"));
      next.focus();
    }
  });
  // A conversation taken or pulled opens in service: that tab comes next.
  document.body.addEventListener("htmx:beforeOnLoad", function (event) {
    var form = event.detail && event.detail.elt, xhr = event.detail && event.detail.xhr;
    var taking = form && form.closest && form.closest("#lists") && /\/(take|pull)$/.test(form.getAttribute("action") || "");
    if (taking && xhr && xhr.getResponseHeader("HX-Redirect")) { save(TAB, "mine"); }
  });
  // Right after the swap (no default tab ever shows), and again after the settle, when
  // htmx gives the classes of re-used ids their new values back.
  function refreshed(event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "lists") {
      show(current());
      signal();
    }
  }
  document.body.addEventListener("htmx:afterSwap", refreshed);
  document.body.addEventListener("htmx:afterSettle", refreshed);
  show(current());
  signal();
})();
