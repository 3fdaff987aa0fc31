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
  // agent.js refreshes the pane, keeping what the agent is typing meanwhile.
  function refreshPane() {
    document.body.dispatchEvent(new CustomEvent("ws-pane-refresh"));
  }

  // Sending from the keyboard: Enter sends and Shift+Enter adds a line; for those who
  // chose it on their profile (data-send-key), Ctrl+Enter sends and Enter adds a line.
  // Listened to on the window, after everything else: a canned phrase's own Enter wins.
  window.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || event.defaultPrevented || event.isComposing || event.keyCode === 229) { return; }
    // The internal chat's composer (chat.js) sends the same way.
    var form = box.matches && box.matches("[data-reply], [data-chat-box]") ? box.closest("form.composer, form[data-chat-form]") : null;
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

// Canned phrases ("colocar a barra, o atalho e aparecerá a mensagem"): typing "/" in the
// composer lists the phrases this agent may use here — their own, the conversation
// team's, the company's — filtered as they type. ↑/↓ choose, Tab or Enter inserts, Esc
// closes; Tab on a "/shortcut" the list does not show asks the server, which says when
// there is no such phrase. While the list is open it takes Tab and Enter first (window,
// capture phase) and stops them there; otherwise the composer's keys apply.
(function () {
  "use strict";
  if (!document.querySelector(".ws[data-events]")) { return; }

  var list = { box: null, start: -1, query: null, items: [], index: 0, message: "", asked: 0, timer: 0 };

  function picker(box) { return box && box.form ? box.form.querySelector("[data-phrase-picker]") : null; }
  function shown() {
    var p = picker(list.box);
    return !!p && !p.hidden;
  }
  function choosing() { return shown() && list.items.length > 0; }

  // The "/word" right before the caret, at the start of the text or after a space.
  function token(box) {
    if (box.selectionStart !== box.selectionEnd) { return null; }
    var before = box.value.slice(0, box.selectionStart);
    var found = /(^|\s)\/([^\s\/]*)$/.exec(before);
    return found ? { start: before.length - found[2].length - 1, query: found[2] } : null;
  }

  function close() {
    var p = picker(list.box);
    if (p) { p.hidden = true; p.textContent = ""; }
    if (list.box) {
      list.box.setAttribute("aria-expanded", "false");
      list.box.removeAttribute("aria-activedescendant");
    }
    window.clearTimeout(list.timer);
    list = { box: list.box, start: -1, query: null, items: [], index: 0, message: "", asked: list.asked + 1, timer: 0 };
  }

  function render() {
    var p = picker(list.box);
    if (!p) { return; }
    p.textContent = "";
    list.items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = p.id + "-" + i;
      li.className = "phrase-option";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === list.index ? "true" : "false");
      li.setAttribute("data-index", String(i));
      var head = document.createElement("span");
      head.className = "phrase-head";
      var code = document.createElement("code");
      code.textContent = "/" + item.shortcut;
      var scope = document.createElement("span");
      scope.className = "phrase-scope" + (item.personal ? " is-mine" : "");
      scope.textContent = item.scope;
      head.appendChild(code);
      head.appendChild(scope);
      var preview = document.createElement("span");
      preview.className = "phrase-preview";
      preview.setAttribute("dir", "auto");
      preview.textContent = item.text;
      li.appendChild(head);
      li.appendChild(preview);
      p.appendChild(li);
    });
    if (!list.items.length && list.message) {
      var none = document.createElement("li");
      none.className = "phrase-none";
      none.setAttribute("role", "status");
      none.textContent = list.message;
      p.appendChild(none);
    }
    if (list.items.length) {
      var keys = document.createElement("li");
      keys.className = "phrase-keys";
      keys.setAttribute("aria-hidden", "true");
      keys.textContent = p.getAttribute("data-keys") || "";
      p.appendChild(keys);
    }
    p.hidden = !list.items.length && !list.message;
    list.box.setAttribute("aria-expanded", p.hidden ? "false" : "true");
    if (list.items.length) {
      list.box.setAttribute("aria-activedescendant", p.id + "-" + list.index);
      var current = p.querySelector("[aria-selected=true]");
      if (current && current.scrollIntoView) { current.scrollIntoView({ block: "nearest" }); }
    } else {
      list.box.removeAttribute("aria-activedescendant");
    }
  }

  function load(box, query) {
    var p = picker(box);
    if (!p) { return; }
    list.asked += 1;
    var asked = list.asked;
    fetch(p.getAttribute("data-url") + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (res) {
      return res.ok ? res.json() : null;
    }).then(function (data) {
      if (!data || asked !== list.asked || list.box !== box) { return; }
      list.items = data.phrases || [];
      list.message = data.message || "";
      list.index = 0;
      render();
    }).catch(function () { /* the list simply does not show */ });
  }

  // Puts `text` where the "/word" was, keeping what surrounds it.
  function put(box, start, text) {
    var end = box.selectionStart;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    var caret = start + text.length;
    box.setSelectionRange(caret, caret);
    close();
    box.focus();
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Tab on a "/shortcut" the list is not offering: the server fills it in or says why not.
  function expand(box, found) {
    var asked = list.asked;
    fetch(box.getAttribute("data-phrase-url") + "?shortcut=" + encodeURIComponent(found.query), {
      credentials: "same-origin"
    }).then(function (res) {
      return res.text().then(function (text) { return { ok: res.ok, missing: res.status === 404, text: text }; });
    }).then(function (answer) {
      if (asked !== list.asked || list.box !== box) { return; }
      if (answer.ok) {
        put(box, found.start, answer.text);
      } else if (answer.missing && answer.text && answer.text.indexOf("<") < 0) {
        list.items = [];
        list.message = answer.text;
        render();
      }
    }).catch(function () { /* keep the text */ });
  }

  function follow(box) {
    var found = token(box);
    if (!found) {
      if (shown() || list.query !== null) { close(); }
      return;
    }
    if (list.box !== box) { close(); list.box = box; }
    list.start = found.start;
    if (found.query === list.query) { return; }
    list.query = found.query;
    window.clearTimeout(list.timer);
    list.timer = window.setTimeout(function () { load(box, found.query); }, 120);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-reply]")) { follow(event.target); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.matches && event.target.matches("[data-reply]")) { follow(event.target); }
  });
  // A click on a phrase inserts it; mousedown keeps the focus in the composer.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[data-phrase-picker] .phrase-option");
    if (!option || !list.box) { return; }
    event.preventDefault();
    var item = list.items[Number(option.getAttribute("data-index"))];
    if (item) { put(list.box, list.start, item.text); }
  });
  document.addEventListener("focusout", function (event) {
    if (event.target === list.box) { window.setTimeout(function () { if (document.activeElement !== list.box) { close(); } }, 150); }
  });

  window.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-reply]") || event.isComposing) { return; }
    var plain = !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey;
    var take = function () { event.preventDefault(); event.stopImmediatePropagation(); };
    if (choosing() && list.box === box) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        take();
        var n = list.items.length;
        list.index = (list.index + (event.key === "ArrowDown" ? 1 : n - 1)) % n;
        render();
        return;
      }
      if ((event.key === "Tab" || event.key === "Enter") && plain) {
        take();
        put(box, list.start, list.items[list.index].text);
        return;
      }
    }
    if (event.key === "Escape" && shown() && list.box === box) {
      take();
      close();
      return;
    }
    if (event.key === "Tab" && plain) {
      var found = token(box);
      if (found && found.query) {
        take();
        list.box = box;
        expand(box, found);
      }
    }
  }, true);

  // The pane was re-rendered: the old list went with it.
  document.body.addEventListener("htmx:afterSwap", function () {
    if (list.box && !document.body.contains(list.box)) { list.box = null; close(); }
  });

  // Outside the 24-hour window (F-AG-19): the template chosen shows its form, and its
  // preview fills in each parameter as it is typed ({{1}} or {{name}} stays until then).
  document.addEventListener("change", function (event) {
    var choice = event.target.closest ? event.target.closest("[data-template-choice]") : null;
    if (!choice) { return; }
    var box = choice.closest("[data-template-composer]");
    box.querySelectorAll("form[data-template]").forEach(function (form) {
      form.hidden = form.getAttribute("data-template") !== choice.value;
    });
  });
  document.addEventListener("input", function (event) {
    var field = event.target.closest ? event.target.closest("form[data-template] [data-param]") : null;
    if (!field) { return; }
    var form = field.closest("form");
    var preview = form.querySelector("[data-template-preview]");
    var text = preview.getAttribute("data-body");
    form.querySelectorAll("[data-param]").forEach(function (input) {
      var value = input.value.trim();
      if (value) { text = text.split("{{" + input.getAttribute("data-param") + "}}").join(value); }
    });
    preview.textContent = text;
  });
})();
