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
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // Read-only fields with a link to hand over: select all on focus.
  document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });

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
