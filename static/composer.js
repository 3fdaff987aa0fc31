// The composer's files (F-AG-4): the paperclip and drag-and-drop send files to the
// open conversation; the microphone records a voice message to listen to, delete or
// send; audio players get a playback speed. The pane is re-rendered by htmx, so every
// listener is delegated and the recording survives a refresh of the pane.
(function () {
  "use strict";
  if (!document.querySelector(".ws[data-events]")) { return; }

  function pane() { return document.getElementById("pane"); }
  function tools() { return document.querySelector("[data-composer-tools]"); }
  function msg(name) {
    var t = tools();
    return t ? (t.getAttribute("data-msg-" + name) || "") : "";
  }
  function csrfToken() {
    var field = document.querySelector("#pane input[name=csrf_token]") || document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }
  function refreshPane() {
    var p = pane();
    if (p && window.htmx) { window.htmx.trigger(p, "pane-refresh"); }
  }

  // Sending from the keyboard: Enter sends and Shift+Enter adds a line; for those who
  // chose it on their profile (data-send-key), Ctrl+Enter sends and Enter adds a line.
  // Listened to on the window, after everything else: a canned phrase's own Enter wins.
  window.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || event.defaultPrevented || event.isComposing || event.keyCode === 229) { return; }
    var form = box.matches && box.matches("[data-reply]") ? box.closest("form.composer") : null;
    if (!form) { return; }
    var ctrl = event.ctrlKey || event.metaKey;
    var sends = form.getAttribute("data-send-key") === "ctrl-enter" ? ctrl : !event.shiftKey && !event.altKey;
    if (!sends) { return; }
    event.preventDefault();
    if (!box.value.trim() || form.classList.contains("htmx-request")) { return; }
    var button = form.querySelector("button[type=submit]:not([name])");
    if (form.requestSubmit) { form.requestSubmit(button || undefined); } else if (button) { button.click(); }
  });

  // Status line under the composer: what is being sent, or why it was refused.
  var status = { text: "", error: false, busy: false };
  function showStatus() {
    var line = document.querySelector("[data-upload-status]");
    if (!line) { return; }
    line.hidden = !status.text;
    line.classList.toggle("field-error", status.error);
    line.textContent = "";
    if (status.busy) {
      var bar = document.createElement("progress");
      bar.className = "upload-progress";
      line.appendChild(bar);
    }
    line.appendChild(document.createTextNode(status.text));
  }
  function setStatus(text, error, busy) {
    status = { text: text || "", error: !!error, busy: !!busy };
    showStatus();
  }

  // The server answers a refusal with a short partial holding the reason.
  function refusalText(res, html) {
    try {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var reason = doc.querySelector(".field-error, [role=alert]");
      if (reason && reason.textContent.trim()) { return reason.textContent.trim(); }
    } catch (e) { /* fall through */ }
    if (res.status === 413) { return msg("too-large"); }
    return msg("failed") + " (" + res.status + ")";
  }

  var sending = 0;
  function upload(file, name) {
    var t = tools();
    if (!t) { return Promise.resolve(false); }
    var url = t.getAttribute("data-upload-url");
    var data = new FormData();
    data.append("csrf_token", csrfToken());
    data.append("file", file, name || file.name);
    sending += 1;
    setStatus(msg("uploading") + " " + (name || file.name), false, true);
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrfToken(), "HX-Request": "true" }
    }).then(function (res) {
      if (res.ok) { return { ok: true }; }
      return res.text().then(function (html) { return { ok: false, text: refusalText(res, html) }; });
    }, function () {
      return { ok: false, text: msg("failed") };
    }).then(function (result) {
      sending -= 1;
      if (result.ok) {
        if (sending === 0 && !status.error) { setStatus(""); }
        refreshPane();
      } else {
        setStatus((name || file.name) + ": " + result.text, true, false);
      }
      return result.ok;
    });
  }
  function uploadAll(files) {
    setStatus("");
    Array.prototype.forEach.call(files, function (f) { upload(f); });
  }

  // Paperclip: opens the hidden file picker.
  document.addEventListener("click", function (event) {
    var attach = event.target.closest("[data-attach]");
    if (attach) {
      var input = document.querySelector("[data-file-input]");
      if (input) { input.click(); }
    }
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("[data-file-input]") && input.files && input.files.length) {
      uploadAll(input.files);
      input.value = "";
    }
    // Playback speed of an audio attachment.
    if (input.matches && input.matches("select[data-speed]")) {
      var box = input.closest("[data-audio]");
      var player = box && box.querySelector("audio");
      if (player) { player.playbackRate = Number(input.value) || 1; }
    }
  });

  // Drag and drop onto the conversation pane.
  var depth = 0;
  function hasFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") >= 0;
  }
  function dropTarget(event) {
    var p = event.target.closest && event.target.closest("#pane");
    return p && tools() ? p : null;
  }
  function highlight(on) {
    var p = pane();
    if (p) { p.classList.toggle("drop-active", on); }
  }
  document.addEventListener("dragenter", function (event) {
    if (!hasFiles(event) || !dropTarget(event)) { return; }
    event.preventDefault();
    depth += 1;
    highlight(true);
  });
  document.addEventListener("dragover", function (event) {
    if (!hasFiles(event) || !dropTarget(event)) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    highlight(true);
  });
  document.addEventListener("dragleave", function (event) {
    if (!hasFiles(event) || !dropTarget(event)) { return; }
    depth = Math.max(depth - 1, 0);
    if (depth === 0) { highlight(false); }
  });
  document.addEventListener("drop", function (event) {
    if (!hasFiles(event)) { return; }
    event.preventDefault();
    depth = 0;
    highlight(false);
    if (dropTarget(event) && event.dataTransfer.files.length) { uploadAll(event.dataTransfer.files); }
  });

  // Voice messages: record, listen, then delete or send.
  var rec = { state: "idle", conversation: "", recorder: null, stream: null, chunks: [], blob: null, url: "", type: "", started: 0, timer: 0 };
  function chooseType() {
    var choices = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/ogg", "audio/mp4"];
    if (!window.MediaRecorder || !MediaRecorder.isTypeSupported) { return ""; }
    for (var i = 0; i < choices.length; i += 1) {
      if (MediaRecorder.isTypeSupported(choices[i])) { return choices[i]; }
    }
    return "";
  }
  function extension(type) {
    if (type.indexOf("ogg") >= 0) { return "ogg"; }
    if (type.indexOf("mp4") >= 0) { return "m4a"; }
    return "webm";
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function fileName(type) {
    var d = new Date();
    return "audio-" + d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + "-" +
      two(d.getHours()) + two(d.getMinutes()) + "." + extension(type);
  }
  function elapsed() {
    var s = Math.floor((Date.now() - rec.started) / 1000);
    return Math.floor(s / 60) + ":" + two(s % 60);
  }
  function currentConversation() {
    var t = tools();
    return t ? t.getAttribute("data-conversation") : "";
  }
  // Draws the recorder in the (possibly just re-rendered) pane.
  function render() {
    var box = document.querySelector("[data-recorder]");
    var button = document.querySelector("[data-record]");
    var here = rec.conversation === currentConversation();
    if (button) {
      var recording = here && rec.state === "recording";
      button.classList.toggle("is-recording", recording);
      button.setAttribute("aria-pressed", recording ? "true" : "false");
      button.title = msg(recording ? "stop" : "record");
    }
    if (!box) { return; }
    var visible = here && rec.state !== "idle";
    box.hidden = !visible;
    var state = box.querySelector("[data-recorder-state]");
    var player = box.querySelector("[data-recording]");
    var del = box.querySelector("[data-recording-delete]");
    var send = box.querySelector("[data-recording-send]");
    if (state) {
      state.hidden = rec.state !== "recording";
      state.textContent = rec.state === "recording" ? msg("recording") + " " + elapsed() : "";
    }
    var review = visible && rec.state === "review";
    if (player) {
      player.hidden = !review;
      if (review && player.getAttribute("src") !== rec.url) { player.setAttribute("src", rec.url); }
    }
    if (del) { del.hidden = !review; }
    if (send) { send.hidden = !review; }
  }
  function discard() {
    if (rec.url) { URL.revokeObjectURL(rec.url); }
    if (rec.timer) { window.clearInterval(rec.timer); }
    if (rec.stream) { rec.stream.getTracks().forEach(function (t) { t.stop(); }); }
    rec = { state: "idle", conversation: "", recorder: null, stream: null, chunks: [], blob: null, url: "", type: "", started: 0, timer: 0 };
    render();
  }
  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
      setStatus(msg("unsupported"), true, false);
      return;
    }
    var conversation = currentConversation();
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var type = chooseType();
      var recorder;
      try {
        recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
      } catch (e) {
        stream.getTracks().forEach(function (t) { t.stop(); });
        setStatus(msg("unsupported"), true, false);
        return;
      }
      rec = { state: "recording", conversation: conversation, recorder: recorder, stream: stream, chunks: [], blob: null, url: "", type: (recorder.mimeType || type || "audio/webm"), started: Date.now(), timer: 0 };
      recorder.addEventListener("dataavailable", function (event) {
        if (event.data && event.data.size) { rec.chunks.push(event.data); }
      });
      recorder.addEventListener("stop", function () {
        if (rec.recorder !== recorder) { return; }
        window.clearInterval(rec.timer);
        rec.stream.getTracks().forEach(function (t) { t.stop(); });
        var base = rec.type.split(";")[0];
        rec.blob = new Blob(rec.chunks, { type: base });
        rec.url = URL.createObjectURL(rec.blob);
        rec.state = "review";
        render();
      });
      recorder.start(250);
      rec.timer = window.setInterval(render, 500);
      setStatus("");
      render();
    }, function () {
      setStatus(msg("mic-denied"), true, false);
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-record]")) {
      if (rec.state === "recording") {
        rec.recorder.stop();
      } else if (rec.state === "idle") {
        start();
      }
      return;
    }
    if (event.target.closest("[data-recording-delete]")) {
      discard();
      return;
    }
    if (event.target.closest("[data-recording-send]") && rec.state === "review") {
      var type = rec.type.split(";")[0];
      var file = new File([rec.blob], fileName(type), { type: type });
      var button = event.target.closest("[data-recording-send]");
      button.disabled = true;
      upload(file, file.name).then(function (ok) {
        if (ok) { discard(); } else { button.disabled = false; }
      });
    }
  });

  // After htmx re-renders the pane: the recorder and the status line come back.
  document.body.addEventListener("htmx:afterSwap", function () {
    render();
    showStatus();
  });
})();
