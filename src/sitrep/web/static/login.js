// The login of a server that checks API keys (web/auth.py): the first API answer of 401 opens a
// small form asking for a key; the key is POSTed to /api/login, which answers with an HttpOnly
// cookie (so this page's script never keeps the key), and the page loads again, now logged in.
// A refused key is said so in the form. common.js calls show() on any 401. logIn() is also what
// the login page (/login, login-page.js) submits with, so the exchange is written once.
"use strict";

window.sitrepLogin = (function () {
  let dialog = null;

  // POST the key to /api/login; {ok: true} once the cookie is set, else {ok: false, detail}.
  async function logIn(key) {
    const response = await fetch("/api/login", {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ key: key.trim() }),
    });
    if (response.ok) return { ok: true, detail: "" };
    let detail = `${response.status} ${response.statusText}`;
    try {
      detail = (await response.json()).detail || detail;
    } catch (err) {
      // not JSON: keep the status line
    }
    return { ok: false, detail };
  }

  function show(message) {
    if (dialog) return;
    const { el } = window.sitrep;
    const input = el("input", { id: "login-key", name: "key", type: "password", autocomplete: "off",
      required: true, spellcheck: "false" });
    const problem = el("p", { id: "login-error", class: "error", role: "alert", hidden: true });
    const form = el("form", { class: "login-form" },
      el("h2", { id: "login-title", text: "Log in with an API key" }),
      el("p", { text: "This server shares its data only with holders of a key. Ask its operator for one "
        + "(they make keys with `sitrep keys create NAME`)." }),
      el("p", { class: "login-reason", text: message || "" }),
      el("label", { for: "login-key", text: "API key" }),
      input,
      el("button", { type: "submit", text: "Log in" }),
      problem);
    dialog = el("div", { id: "login", class: "login", role: "dialog", "aria-modal": "true",
      "aria-labelledby": "login-title" }, form);
    document.body.append(dialog);
    document.body.dataset.login = "required";
    input.focus();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      problem.hidden = true;
      const { ok, detail } = await logIn(input.value);
      if (ok) {
        document.body.dataset.login = "accepted";
        window.location.reload();
        return;
      }
      problem.textContent = `That key was not accepted: ${detail}`;
      problem.hidden = false;
      document.body.dataset.login = "refused";
      input.select();
    });
  }

  return { show, logIn };
})();
