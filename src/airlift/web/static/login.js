// Login: POST /api/auth/login, then back to the page that sent us here.
const form = document.getElementById("login-form");
const msg = document.getElementById("login-msg");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    msg.className = "msg bad";
    msg.textContent = "Enter your user name and password.";
    (username ? form.password : form.username).focus();
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  msg.className = "msg info";
  msg.textContent = "Logging in…";
  try {
    const resp = await fetch("/api/auth/login", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ username, password }),
    });
    const body = await resp.json().catch(() => ({}));
    if (!resp.ok) {
      const detail = typeof body.detail === "string" ? body.detail : `HTTP ${resp.status}`;
      msg.className = "msg bad";
      msg.textContent = resp.status === 429 ? `Too many attempts: ${detail}` : `Not logged in: ${detail}`;
      form.password.select();
      return;
    }
    if (body.csrf_token) sessionStorage.setItem("airlift-csrf", body.csrf_token);
    location.assign(form.dataset.next || "/map");
  } catch (err) {
    msg.className = "msg bad";
    msg.textContent = `The server did not answer: ${err.message}`;
  } finally {
    button.disabled = false;
  }
});
