// The demo phone: sends without leaving the page and looks again at the conversation
// whenever the phone changes (Server-Sent Events). Without script the forms post and
// the page comes back; nothing here is needed to use it.
(function () {
  "use strict";
  var thread = document.getElementById("phone-thread");
  if (!thread) return;

  function toBottom() { thread.scrollTop = thread.scrollHeight; }

  function refresh() {
    fetch(thread.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var near = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
        thread.innerHTML = html;
        if (near) toBottom();
      })
      .catch(function () {});
  }

  var source = new EventSource(thread.getAttribute("data-events"));
  source.addEventListener("change", refresh);
  source.addEventListener("ready", refresh);

  document.querySelectorAll("[data-phone-form]").forEach(function (form) {
    var text = form.querySelector("textarea");
    if (text && form.querySelector("input[name=subject]") === null) {
      // Enter sends, as on a phone's chat; Shift+Enter breaks the line.
      text.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
      });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
        .then(function (r) {
          if (r.type === "opaqueredirect" || r.ok) {
            form.querySelectorAll("textarea, input[name=subject]").forEach(function (f) { f.value = ""; });
            var error = form.querySelector(".phone-error");
            if (error) error.remove();
            refresh();
            toBottom();
          } else {
            // Refused: the page as the server says (with its error in words).
            form.submit();
          }
        })
        .catch(function () { form.submit(); });
    });
  });
  // A tapped button or list row (the thread is redrawn, so listen on it).
  thread.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches || !form.matches("[data-phone-tap]")) return;
    e.preventDefault();
    fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin", redirect: "manual" })
      .then(function (r) { if (r.type === "opaqueredirect" || r.ok) { refresh(); toBottom(); } else { form.submit(); } })
      .catch(function () { form.submit(); });
  });
  toBottom();
})();
