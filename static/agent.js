// The agent workspace: live refresh from /agent/events (the internal chat's notices are
// handed to chat.js), alerts (sound + notification),
// dialogs and a few keyboard shortcuts; the closing dialog's reasons. Canned phrases
// are in composer.js.
(function () {
  "use strict";
  var root = document.querySelector(".ws[data-events]");
  if (!root) { return; }
  var body = document.body;

  function fire(target, name) {
    if (window.htmx) { window.htmx.trigger(target, name); }
  }
  function pane() { return document.getElementById("pane"); }
  function openId() {
    var p = pane();
    return p && p.getAttribute("data-conversation") ? Number(p.getAttribute("data-conversation")) : 0;
  }

  // Alerts: a toggle remembered in this browser (the bar holding it may be re-fetched).
  function alertsOn() { return window.localStorage.getItem("atende-alerts") === "on"; }
  function showAlerts() {
    var button = root.querySelector("[data-alerts]");
    if (!button) { return; }
    button.textContent = button.getAttribute(alertsOn() ? "data-on" : "data-off");
    button.classList.toggle("is-on", alertsOn());
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("[data-alerts]")) { return; }
    window.localStorage.setItem("atende-alerts", alertsOn() ? "off" : "on");
    if (alertsOn() && window.Notification && Notification.permission === "default") {
      Notification.requestPermission();
    }
    showAlerts();
  });
  showAlerts();
  var audio = null;
  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.35);
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + 0.35);
    } catch (e) { /* no audio here */ }
  }
  function alert(text) {
    if (!alertsOn()) { return; }
    beep();
    if (window.Notification && Notification.permission === "granted" && document.hidden !== false) {
      try { new Notification(text); } catch (e) { /* not allowed here */ }
    }
  }

  // Live events: one EventSource; lists and the open pane re-fetch themselves.
  var seenWaiting = {}, seenUnread = {};
  var source = new EventSource(root.getAttribute("data-events"));
  source.addEventListener("change", function (event) {
    var data = {};
    try { data = JSON.parse(event.data); } catch (e) { return; }
    fire(body, "sse-refresh");
    var id = data.conversation_id;
    // No conversation: the agent's own status changed (pause, online, invited).
    if (!id) { fire(body, "ws-bar-refresh"); }
    if (id && id === openId()) { refreshPane(); }
    if (id && data.status === "waiting" && !seenWaiting[id]) {
      seenWaiting[id] = true;
      alert(root.getAttribute("data-notify-waiting"));
    } else if (id && data.mine && data.unread > (seenUnread[id] || 0) && id !== openId()) {
      alert(root.getAttribute("data-notify-message"));
    }
    if (id) { seenUnread[id] = data.unread; }
  });
  // A notification raised or read: the top bar's bell counts again.
  source.addEventListener("notices", function () { fire(body, "notices"); });
  // Internal chat: chat.js shows it (and asks for the alert through "ws-alert").
  source.addEventListener("chat", function (event) {
    var data = {};
    try { data = JSON.parse(event.data); } catch (e) { return; }
    body.dispatchEvent(new CustomEvent("chat-message", { detail: data }));
  });
  body.addEventListener("ws-alert", function (event) {
    alert(root.getAttribute(event.detail && event.detail.notice || "data-notify-message"));
  });
  source.addEventListener("resync", function () {
    fire(body, "chat-news");
    fire(body, "sse-refresh");
    fire(body, "notices");
    fire(body, "ws-bar-refresh");
    if (openId()) { refreshPane(); }
  });

  // A pane refresh keeps what the agent was typing.
  // What was just sent is not a draft: a refresh racing the reply must not bring it back.
  var draft = null, sending = null;
  document.addEventListener("submit", function (event) {
    var box = event.target.querySelector && event.target.querySelector("[data-reply]");
    if (box) { sending = { id: openId(), text: box.value }; }
  }, true);
  function rememberDraft() {
    var box = document.querySelector("[data-reply]");
    draft = box ? { id: openId(), text: box.value } : null;
  }
  // Read just before the pane is replaced, not when its request started: what the agent
  // types while a refresh is on its way is part of the draft.
  body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.target && event.target.id === "pane") { rememberDraft(); }
  });
  // Only a new pane takes the draft back (the lists may come back first).
  body.addEventListener("htmx:afterSwap", function (event) {
    if (!event.target || event.target.id !== "pane") { return; }
    var box = document.querySelector("[data-reply]");
    var sent = sending && draft && sending.id === draft.id && sending.text === draft.text;
    if (draft && box && draft.id === openId() && !box.value && !sent) { box.value = draft.text; }
    draft = null;
    // The reply's own answer arrived: from now on the box holds a new draft.
    var from = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (from && from.querySelector && from.querySelector("[data-reply]")) { sending = null; }
    scrollMessages();
  });

  // The pane re-fetches itself for every change. A change announced while a request
  // for the pane is on its way asks for one more once that request is in: a refresh
  // queued on the pane being replaced would be dropped with it, and a message just sent
  // would not show.
  // A form of the pane (a reply, a classification…) answers with the new pane: while it
  // is on its way no refresh starts, and one already started is abandoned. Otherwise
  // the older refresh could land first, and the form's answer — the message sent, the
  // error, "Você está em pausa!" with the reply it keeps — would go to a pane no longer
  // shown.
  var paneChanges = 0, paneForms = 0;
  function refreshPane() {
    paneChanges += 1;
    // "Você está em pausa! Deseja sair?" waits for the agent's answer: a refresh now
    // (a WhatsApp status, say) would take the question and the reply it holds away.
    // The answer brings the pane back with every change.
    var shown = pane();
    if (shown && shown.querySelector(".paused-prompt")) { return; }
    if (paneForms > 0) { return; }
    fire(pane(), "pane-refresh");
  }
  // Other scripts (composer.js, after an upload) ask for a refresh the same way, so the
  // draft and the pending question are kept for them too.
  body.addEventListener("ws-pane-refresh", function () { if (openId()) { refreshPane(); } });
  body.addEventListener("htmx:beforeRequest", function (event) {
    var d = event.detail;
    if (!d || !d.requestConfig || !d.target || d.target.id !== "pane") { return; }
    d.requestConfig.paneChanges = paneChanges;
    if (d.elt !== d.target) {
      d.requestConfig.paneForm = true;
      paneForms += 1;
      fire(d.target, "htmx:abort");
    }
  });
  // Every request ends here once, answered, failed or abandoned.
  body.addEventListener("htmx:afterRequest", function (event) {
    var config = event.detail && event.detail.requestConfig;
    if (!config || config.paneChanges === undefined || config.paneDone) { return; }
    config.paneDone = true;
    if (config.paneForm) { paneForms -= 1; }
    if (config.paneChanges < paneChanges && openId()) { refreshPane(); }
  });
  // The workspace bar was re-fetched (the top bar's status came with it): its alerts button too.
  body.addEventListener("htmx:afterSwap", showAlerts);
  function scrollMessages() {
    var list = document.querySelector(".messages");
    if (list) { list.scrollTop = list.scrollHeight; }
  }
  scrollMessages();

  // Dialogs: buttons with data-dialog open them; data-dialog-close and Esc close them.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-dialog"));
      if (dialog && dialog.showModal) { dialog.showModal(); }
    }
    var closer = event.target.closest("[data-dialog-close]");
    if (closer) { closer.closest("dialog").close(); }
  });

  // Keyboard: j/k next/previous conversation, r reply, ? help, Esc closes menus.
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.key === "Escape") {
      document.querySelectorAll("details[open]").forEach(function (d) { d.open = false; });
      return;
    }
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var rows = Array.prototype.slice.call(document.querySelectorAll("#lists [role=tabpanel]:not([hidden]) .conv-row"));
    var current = rows.findIndex(function (r) { return Number(r.getAttribute("data-conversation")) === openId(); });
    if (event.key === "j" || event.key === "k") {
      var next = rows[event.key === "j" ? current + 1 : Math.max(current - 1, 0)];
      if (next) { next.focus(); if (next.tagName === "A") { window.location.assign(next.getAttribute("href")); } }
    } else if (event.key === "r") {
      var box = document.querySelector("[data-reply]");
      if (box) { event.preventDefault(); box.focus(); }
    } else if (event.key === "?") {
      var help = document.getElementById("ws-help");
      if (help && help.showModal) { help.showModal(); }
    }
  });
})();

// "Finalizar": the sub-reasons offered are those of the reason chosen (all of them
// without JavaScript; the server checks the pair), and a refused close comes back with
// its dialog open, the reason shown inside.
(function () {
  "use strict";
  if (!document.querySelector(".ws[data-events]")) { return; }

  function follow(dialog) {
    var reason = dialog && dialog.querySelector("[data-close-reason]");
    var sub = dialog && dialog.querySelector("[data-close-sub]");
    if (!reason || !sub) { return; }
    var any = false;
    Array.prototype.forEach.call(sub.querySelectorAll("optgroup"), function (group) {
      var mine = group.getAttribute("data-reason") === reason.value;
      group.hidden = !mine;
      group.disabled = !mine;
      any = any || mine;
    });
    var chosen = sub.options[sub.selectedIndex];
    if (chosen && chosen.parentNode.disabled) { sub.value = ""; }
    sub.hidden = !any;
    var label = dialog.querySelector("[data-close-sub-label]");
    if (label) { label.hidden = !any; }
  }
  function reopen() {
    var dialog = document.querySelector("dialog.close-dialog[data-reopen]");
    if (dialog && dialog.showModal && !dialog.open) { dialog.showModal(); }
  }
  function refresh() {
    document.querySelectorAll("dialog.close-dialog").forEach(follow);
    reopen();
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-close-reason]")) { follow(event.target.closest("dialog")); }
  });
  document.body.addEventListener("htmx:afterSwap", refresh);
  refresh();
})();
