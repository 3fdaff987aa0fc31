/* Atende web chat widget.
 *
 * Embed with: <script src="BASE/widget.js" data-channel="KEY" async></script>
 * One global (window.AtendeWidget); everything else lives inside a Shadow DOM, styled by
 * BASE/static/widget.css. No inline styles and no HTML strings: the host page's content
 * security policy and its own CSS stay out of our way, and ours out of theirs.
 */
(function () {
  "use strict";
  if (window.AtendeWidget) return;

  var script = document.currentScript;
  if (!script) {
    var all = document.querySelectorAll("script[data-channel][src*='widget.js']");
    script = all[all.length - 1];
  }
  if (!script) return;
  var key = script.getAttribute("data-channel") || "";
  var src = new URL(script.src, document.baseURI);
  var base = src.origin + src.pathname.replace(/\/widget\.js$/, "");
  var api = base + "/webchat/" + encodeURIComponent(key);
  var storageKey = "atende:" + key;

  // The widget's words arrive with the channel's settings, in the browser's language;
  // nothing is shown before they do.
  var lang = navigator.language || "pt-BR";
  var words = {};
  function t(name) { return words[name] || name; }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function svg(paths) {
    var ns = "http://www.w3.org/2000/svg";
    var s = document.createElementNS(ns, "svg");
    s.setAttribute("viewBox", "0 0 24 24");
    s.setAttribute("aria-hidden", "true");
    paths.forEach(function (d) {
      var p = document.createElementNS(ns, "path");
      p.setAttribute("d", d);
      s.appendChild(p);
    });
    return s;
  }
  function token() {
    try { return localStorage.getItem(storageKey); } catch (e) { return null; }
  }
  function setToken(t) {
    try { if (t) localStorage.setItem(storageKey, t); else localStorage.removeItem(storageKey); } catch (e) { /* private mode */ }
  }
  function request(method, path, body) {
    var headers = {};
    var t = token();
    if (t) headers.Authorization = "Bearer " + t;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(api + path, {
      method: method, headers: headers, mode: "cors", credentials: "omit",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { status: r.status, data: data };
      });
    });
  }

  var host = el("div");
  host.id = "atende-widget";
  var root = host.attachShadow({ mode: "open" });
  var css = el("link");
  css.rel = "stylesheet";
  css.href = base + "/static/widget.css?v=__CSS_VERSION__";
  root.appendChild(css);

  var launcher = el("button", "launcher");
  launcher.type = "button";
  launcher.appendChild(svg(["M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"]));
  var panel = el("section", "panel");
  panel.hidden = true;
  panel.setAttribute("role", "dialog");

  var head = el("header", "head");
  var titles = el("div", "titles");
  var title = el("strong", "title");
  var status = el("span", "status");
  titles.appendChild(title);
  titles.appendChild(status);
  var closeButton = el("button", "close");
  closeButton.type = "button";
  closeButton.appendChild(svg(["M6 6l12 12M18 6L6 18"]));
  head.appendChild(titles);
  head.appendChild(closeButton);
  panel.appendChild(head);

  var notice = el("p", "notice offline-notice");
  notice.hidden = true;
  panel.appendChild(notice);
  var info = el("p", "info");
  info.hidden = true;
  panel.appendChild(info);
  var body = el("div", "body");
  panel.appendChild(body);

  root.appendChild(panel);
  root.appendChild(launcher);

  var config = null;
  var events = null;
  var list = null;
  var composer = null;
  var pending = [];
  var lastSeen = "";

  function setOpen(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    launcher.classList.toggle("is-open", open);
    if (open) {
      if (token()) refresh();
      var focus = panel.querySelector("input, textarea");
      if (focus) focus.focus();
    }
  }
  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  closeButton.addEventListener("click", function () { setOpen(false); });

  function field(form, name, label, type, ask) {
    if (ask === "off") return;
    var id = "atende-" + name;
    var l = el("label", null, label + (ask === "optional" ? " " + t("optional") : ""));
    l.htmlFor = id;
    var input = el("input");
    input.id = id;
    input.name = name;
    input.type = type;
    input.maxLength = name === "name" ? 80 : 120;
    if (ask === "required") input.required = true;
    var err = el("p", "field-error");
    err.hidden = true;
    err.id = id + "-error";
    form.appendChild(l);
    form.appendChild(input);
    form.appendChild(err);
  }

  function showPreChat() {
    stopEvents();
    body.textContent = "";
    info.hidden = true;
    var form = el("form", "prechat");
    form.noValidate = true;
    if (config.greeting) form.appendChild(el("p", "greeting", config.greeting));
    field(form, "name", t("name"), "text", "required");
    field(form, "email", t("email"), "email", config.fields.email);
    field(form, "phone", t("phone"), "tel", config.fields.phone);
    var submit = el("button", "primary", t("start"));
    submit.type = "submit";
    form.appendChild(submit);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var data = { name: form.elements.name.value };
      if (form.elements.email) data.email = form.elements.email.value;
      if (form.elements.phone) data.phone = form.elements.phone.value;
      form.querySelectorAll(".field-error").forEach(function (e) { e.hidden = true; });
      form.querySelectorAll("input").forEach(function (i) { i.removeAttribute("aria-invalid"); });
      submit.disabled = true;
      request("POST", "/visitors", data).then(function (r) {
        submit.disabled = false;
        if (r.status === 201 && r.data && r.data.token) {
          setToken(r.data.token);
          showChat();
          return;
        }
        var name = (r.data && r.data.field) || "name";
        var input = form.elements[name];
        var err = root.getElementById("atende-" + name + "-error");
        if (err && input) {
          err.textContent = (r.data && r.data.error) || t("error");
          err.hidden = false;
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", err.id);
          input.focus();
        }
      }, function () { submit.disabled = false; });
    });
    body.appendChild(form);
  }

  function showChat() {
    body.textContent = "";
    list = el("ol", "messages");
    list.setAttribute("aria-live", "polite");
    body.appendChild(list);
    var form = el("form", "composer");
    var text = el("textarea");
    text.rows = 2;
    text.maxLength = 4096;
    text.placeholder = t("placeholder");
    text.setAttribute("aria-label", t("placeholder"));
    var send = el("button", "send");
    send.type = "submit";
    send.setAttribute("aria-label", t("send"));
    send.appendChild(svg(["M3 20l18-8L3 4v6l12 2-12 2z"]));
    // A file for the agent: picked, uploaded as its own message.
    var picker = el("input");
    picker.type = "file";
    picker.hidden = true;
    var clip = el("button", "attach");
    clip.type = "button";
    clip.setAttribute("aria-label", t("attach"));
    clip.title = t("attach");
    clip.appendChild(svg(["M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l7.8-7.8a4 4 0 0 0-5.6-5.6L5.9 11.5a6 6 0 0 0 8.5 8.5l6.4-6.4"]));
    clip.addEventListener("click", function () { picker.click(); });
    picker.addEventListener("change", function () {
      if (picker.files && picker.files[0]) uploadFile(picker.files[0]);
      picker.value = "";
    });
    form.appendChild(clip);
    form.appendChild(picker);
    form.appendChild(text);
    form.appendChild(send);
    text.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit ? form.requestSubmit() : submitMessage(); }
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); submitMessage(); });
    composer = text;
    body.appendChild(form);
    render({ conversation: null, messages: [] });
    refresh();
    startEvents();
  }

  function clientId() {
    var a = new Uint8Array(12);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function submitMessage() {
    var value = composer.value.trim();
    if (!value) return;
    composer.value = "";
    var item = { client_id: clientId(), text: value };
    pending.push(item);
    renderPending();
    settle(item, request("POST", "/messages", { text: item.text, client_id: item.client_id }));
  }

  // A pending message once the server answers: gone on success, marked as failed
  // otherwise; a session the server no longer knows shows the pre-chat form.
  function settle(item, sending) {
    sending.then(function (r) {
      if (r.status === 401) { setToken(null); showPreChat(); return; }
      if (r.status >= 200 && r.status < 300) {
        pending = pending.filter(function (p) { return p !== item; });
        refresh();
        return;
      }
      item.failed = true;
      renderPending();
    }, function () { item.failed = true; renderPending(); });
  }

  function uploadFile(file) {
    var item = { client_id: clientId(), text: "📎 " + file.name };
    pending.push(item);
    renderPending();
    var data = new FormData();
    data.append("file", file, file.name);
    settle(item, fetch(api + "/attachments", {
      method: "POST", mode: "cors", credentials: "omit",
      headers: { Authorization: "Bearer " + token() }, body: data
    }));
  }

  // Text someone typed (names, messages, file names) keeps its own direction and
  // cannot reorder what is around it.
  function typed(tag, cls, text) {
    var e = el(tag, cls, text);
    e.dir = "auto";
    return e;
  }

  function bubble(m) {
    var li = el("li", "message " + (m.direction === "in" ? "mine" : "theirs"));
    if (m.direction !== "in") li.appendChild(typed("span", "author", m.author || config.name));
    if (m.attachment_id) {
      var link = typed("a", "file", m.file_name || m.body || t("file"));
      link.href = api + "/attachments/" + m.attachment_id + "?token=" + encodeURIComponent(token() || "");
      link.target = "_blank";
      link.rel = "noopener";
      li.appendChild(link);
    } else {
      li.appendChild(typed("p", "text", m.body));
    }
    return li;
  }

  // The satisfaction survey's score: five stars under the question; a tap sends it
  // (typing the number works too), then the question for a comment comes.
  function stars() {
    var li = el("li", "survey");
    li.appendChild(el("p", "survey-title", t("survey-title")));
    var row = el("div", "stars");
    row.setAttribute("role", "group");
    row.setAttribute("aria-label", t("survey-title"));
    [1, 2, 3, 4, 5].forEach(function (n) {
      var b = el("button", "star", "\u2605");
      b.type = "button";
      b.setAttribute("aria-label", t("survey-star").replace("{score}", n));
      b.title = b.getAttribute("aria-label");
      b.addEventListener("mouseenter", function () { light(row, n); });
      b.addEventListener("focus", function () { light(row, n); });
      b.addEventListener("click", function () {
        row.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
        request("POST", "/survey", { score: n }).then(refresh, refresh);
      });
      row.appendChild(b);
    });
    row.addEventListener("mouseleave", function () { light(row, 0); });
    li.appendChild(row);
    return li;
  }

  function light(row, n) {
    row.querySelectorAll("button").forEach(function (b, i) { b.classList.toggle("is-lit", i < n); });
  }

  var current = { conversation: null, messages: [] };
  function renderPending() {
    if (!list) return;
    list.querySelectorAll(".pending").forEach(function (n) { n.remove(); });
    pending.forEach(function (p) {
      var li = bubble({ direction: "in", body: p.text });
      li.classList.add("pending");
      if (p.failed) {
        li.classList.add("failed");
        li.appendChild(el("span", "failure", t("error")));
      }
      list.appendChild(li);
    });
    list.scrollTop = list.scrollHeight;
  }

  function render(data) {
    current = data;
    if (!list) return;
    list.textContent = "";
    if (config.greeting || !data.messages.length) {
      list.appendChild(bubble({ direction: "out", body: config.greeting || t("welcome"), author: config.name }));
    }
    data.messages.forEach(function (m) { list.appendChild(bubble(m)); });
    var c = data.conversation;
    if (c && c.survey && c.survey.step === "score") list.appendChild(stars());
    info.hidden = !c;
    if (c) {
      info.textContent = "";
      info.appendChild(el("span", "protocol", t("protocol") + " " + c.protocol));
      var state = c.status === "waiting" ? (c.position ? t("position").replace("{position}", c.position) : t("waiting")) : c.status === "closed" ? t("closed") : "";
      if (state) info.appendChild(el("span", "queue", state));
    }
    showAvailability();
    renderPending();
  }

  // Who answers, while someone does; otherwise the channel's hours. "Offline" never shows
  // while an agent is answering this very visitor.
  function showAvailability() {
    var c = current && current.conversation;
    var answering = c && c.agent && (c.status === "active" || c.status === "pending");
    var open = answering || (config && config.open);
    status.textContent = answering ? t("answering").replace("{name}", c.agent) : open ? t("online") : t("offline");
    status.classList.toggle("is-offline", !open);
    notice.hidden = !!open;
  }

  function refresh() {
    if (!token()) return;
    request("GET", "/messages").then(function (r) {
      if (r.status === 401) { setToken(null); showPreChat(); return; }
      if (r.status !== 200 || !r.data) return;
      render(r.data);
      var newest = r.data.messages.length ? String(r.data.messages[r.data.messages.length - 1].id) : "";
      if (!panel.hidden && newest !== lastSeen) {
        lastSeen = newest;
        request("POST", "/read");
      }
    });
  }

  function startEvents() {
    if (events || !window.EventSource || !token()) return;
    events = new EventSource(api + "/events?token=" + encodeURIComponent(token()));
    events.addEventListener("changed", function () { refresh(); });
  }
  function stopEvents() {
    if (events) { events.close(); events = null; }
  }

  function applyConfig(c) {
    config = c;
    words = c.words || {};
    launcher.setAttribute("aria-label", t("open"));
    closeButton.setAttribute("aria-label", t("close"));
    notice.textContent = t("offline-notice");
    title.textContent = c.name;
    showAvailability();
    // The channel colour: a constructed stylesheet (not an inline style, which strict
    // policies forbid). Without support the stylesheet's default colour stays.
    if (/^#[0-9a-fA-F]{6}$/.test(c.color) && "adoptedStyleSheets" in root && window.CSSStyleSheet) {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(":host { --atende-color: " + c.color + "; }");
        root.adoptedStyleSheets = [sheet];
      } catch (e) { /* keep the default colour */ }
    }
    if (token()) showChat(); else showPreChat();
  }

  request("GET", "/config?lang=" + encodeURIComponent(lang)).then(function (r) {
    if (r.status !== 200 || !r.data) return;
    (document.body || document.documentElement).appendChild(host);
    applyConfig(r.data);
    if (location.hash === "#atende-chat") setOpen(true);
  });

  window.AtendeWidget = {
    open: function () { setOpen(true); },
    close: function () { setOpen(false); }
  };
})();
