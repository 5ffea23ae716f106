// The login page (/login): where a browser lands when it opens a page of data (/brief, an export
// link) on a server that checks API keys and has no login cookie yet. The key goes to /api/login
// (login.js logIn), which sets the HttpOnly cookie; then the browser goes on to the page it asked
// for. The server put that page in data-next after checking it is a path on this server; it is
// checked again here, so nothing but this origin is ever the target.
"use strict";

(function () {
  // A path on this server ("/brief?..."), else "/": never "//host", "/\host" or an absolute URL.
  function sameOriginPath(value) {
    if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) {
      return "/";
    }
    const target = new URL(value, window.location.origin);
    return target.origin === window.location.origin ? target.pathname + target.search + target.hash : "/";
  }

  const next = sameOriginPath(document.body.dataset.next);
  const form = document.getElementById("login-form");
  const input = document.getElementById("login-key");
  const problem = document.getElementById("login-error");
  document.getElementById("login-next").textContent = next;
  document.body.dataset.login = "required";
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    problem.hidden = true;
    const { ok, detail } = await window.sitrepLogin.logIn(input.value);
    if (ok) {
      document.body.dataset.login = "accepted";
      window.location.assign(next);
      return;
    }
    problem.textContent = `That key was not accepted: ${detail}`;
    problem.hidden = false;
    document.body.dataset.login = "refused";
    input.select();
  });
})();
