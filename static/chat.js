// The internal chat's panel: opened from the icon on the right of the workspace bar,
// docked beside the pane (which narrows, so the composer stays usable), closed with ×
// or Esc; its composer sends as the pane's does (composer.js). Live notices come from agent.js as "chat-message": the open thread refreshes
// itself, anything else refreshes the badge and the list and sounds the alert.
(function () {
  "use strict";
  var ws = document.querySelector(".ws[data-events]");
  var slot = document.getElementById("chat-slot");
  if (!ws || !slot) { return; }
  var body = document.body;

  function fire(target, name) { if (window.htmx && target) { window.htmx.trigger(target, name); } }
  function isOpen() { return !slot.hidden; }
  function thread() { return document.getElementById("chat-thread"); }
  function toggles() { return document.querySelectorAll("[data-chat-toggle]"); }
  function showState() {
    toggles().forEach(function (b) { b.setAttribute("aria-expanded", isOpen() ? "true" : "false"); });
    ws.classList.toggle("chat-open", isOpen());
  }
  function open() {
    slot.hidden = false;
    if (!slot.firstElementChild && window.htmx) {
      window.htmx.ajax("GET", slot.getAttribute("data-panel"), { target: slot, swap: "innerHTML" });
    } else {
      fire(document.getElementById("chat-list"), "chat-read");
      var shown = document.getElementById("chat-messages");
      if (shown) { fire(shown, "chat-refresh"); }
    }
    window.sessionStorage.setItem("atende-chat", "open");
    showState();
  }
  function close() {
    slot.hidden = true;
    window.sessionStorage.removeItem("atende-chat");
    showState();
    var toggle = document.querySelector("[data-chat-toggle]");
    if (toggle) { toggle.focus(); }
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest) { return; }
    if (event.target.closest("[data-chat-toggle]")) { if (isOpen()) { close(); } else { open(); } }
    if (event.target.closest("[data-chat-close]")) { close(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen() && slot.contains(document.activeElement)) { close(); return; }
  });

  // A message arrived: shown at once when its thread is open and in sight.
  body.addEventListener("chat-message", function (event) {
    var data = event.detail || {};
    var open = thread();
    var inSight = isOpen() && open && open.getAttribute("data-address") === data.address && !document.hidden;
    if (inSight) {
      fire(document.getElementById("chat-messages"), "chat-refresh");
    } else {
      fire(body, "chat-news");
      if (!data.from_me) { body.dispatchEvent(new CustomEvent("ws-alert", { detail: { notice: "data-notify-chat" } })); }
    }
  });

  function scrollDown() {
    var list = document.getElementById("chat-messages");
    if (list) { list.scrollTop = list.scrollHeight; }
  }
  // A thread shown (opened, refreshed or written to) was marked read: the badge and the
  // list follow; the messages scroll to the newest and the composer takes the keys.
  var THREAD = /^\/agent\/chat\/(people|teams)\/\d+(\/messages)?$/;
  body.addEventListener("htmx:afterSwap", function (event) {
    var config = event.detail && event.detail.requestConfig;
    if (!config || !THREAD.test(config.path || "")) { return; }
    scrollDown();
    fire(body, "chat-read");
    var box = document.querySelector("#chat-thread [data-chat-box]");
    if (box && !/\/messages$/.test(config.path)) { box.focus(); }
  });
  // The bar is re-fetched with the agent's status: its icon tells the state again.
  body.addEventListener("htmx:afterSettle", showState);

  if (window.sessionStorage.getItem("atende-chat") === "open") { open(); }
})();
