// Log in with an account of the service (OAuth2 password form), keep the token, go on.
import { $, api, auth, errorText, homeOf, params, startPage, t } from "../app.js";

function safeNext(role) {
  const next = params.get("next");
  return next.startsWith("/ui/") && !next.startsWith("/ui/login") ? next : homeOf(role);
}

startPage(
  async () => {
    const form = $("#login-form");
    const message = $("#login-error");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      message.hidden = true;
      const button = $("button[type=submit]", form);
      button.disabled = true;
      try {
        const token = await api("/auth/token", {
          method: "POST",
          form: { username: $("#username").value.trim(), password: $("#password").value },
        });
        auth.save(token.access_token);
        location.assign(safeNext(token.role));
      } catch (error) {
        message.textContent = error.status === 401 ? t("login.failed") : errorText(error);
        message.hidden = false;
        button.disabled = false;
      }
    });
  },
  { public: true },
);
