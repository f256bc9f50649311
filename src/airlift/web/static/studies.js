// Studies page: launch a what-if study (pasted or uploaded TOML, or the demo study), list the
// studies with their progress (GET /api/studies/{id} every 2 s while one runs), summary,
// report and results links, and cancel a running one.
import { api, clear, el, num, say, utc } from "./app.js";

const POLL_MS = 2000;
const canPlan = ["planner", "admin"].includes(document.body.dataset.role);
const form = document.getElementById("study-form");
const toml = document.getElementById("study-toml");
const launchMsg = document.getElementById("launch-msg");
const box = document.getElementById("studies");
const listMsg = document.getElementById("studies-msg");
const demoToml = toml.defaultValue; // the demo study, as the page was rendered

let studies = [];
let timer = null;

const active = (s) => s.status === "queued" || s.status === "running";
const badge = (status) => el("span", { class: `badge ${status}` }, status);

if (!canPlan) {
  for (const node of form.querySelectorAll("input, textarea, button")) node.disabled = true;
  say(launchMsg, "Viewers follow studies; planners launch them.", "info");
}

document.getElementById("use-demo").addEventListener("click", () => {
  toml.value = demoToml;
  document.getElementById("study-file").value = "";
  say(launchMsg, "The demo study is in the editor.", "info");
});

document.getElementById("study-file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  if (file.size > 100_000) {
    say(launchMsg, `${file.name}: too large for a study file (at most 100 kB).`, "bad");
    return;
  }
  toml.value = await file.text();
  say(launchMsg, `${file.name} loaded: check it, then launch.`, "info");
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = document.getElementById("study-name").value.trim();
  const body = { study_toml: toml.value };
  if (name) body.name = name;
  const button = document.getElementById("launch-button");
  button.disabled = true;
  try {
    const study = await api("/api/studies", { method: "POST", json: body });
    say(launchMsg, `Study ${study.id} (${study.name}) queued: ${num(study.runs_total)} runs.`, "ok");
    await refresh();
  } catch (err) {
    const field = err.body && err.body.field ? ` [${err.body.field}]` : "";
    say(launchMsg, `Not launched${field}: ${err.message}`, "bad");
  } finally {
    button.disabled = false;
  }
});

function progressCell(s) {
  const finished = s.runs_done + s.runs_failed;
  return el("td", { class: "study-progress" },
    el("progress", { max: Math.max(1, s.runs_total), value: finished, "aria-label": `Study ${s.id} progress` }),
    el("span", { class: "small", "data-progress": s.id },
      `${num(s.runs_done)} done, ${num(s.runs_failed)} failed of ${num(s.runs_total)} runs (${num(s.progress_pct, 0)} %)`),
    s.cancel_requested && active(s) ? el("div", { class: "small muted" }, "cancel requested…") : "");
}

function fleetText(best) {
  if (!best) return "none meets the target";
  return `${best.level} (${num(best.tails)} tails, ${num(best.served_pct, 1)} % served)`;
}

function summaryCell(s) {
  const sum = s.summary;
  if (!sum) return el("td", { class: "small muted study-summary" }, active(s) ? "when it ends" : "–");
  return el("td", { class: "small study-summary" },
    el("div", {}, `${num(sum.runs)} runs, ${num(sum.failed)} failed`),
    sum.served_pct_mean != null ? el("div", {}, `required served: mean ${num(sum.served_pct_mean, 1)} %`) : "",
    el("div", {}, `smallest fleet serving ${num(sum.target_served_pct, 0)} %: `, el("strong", {}, fleetText(sum.smallest_fleet))));
}

function render() {
  if (!studies.length) {
    clear(box, el("p", { class: "msg info", style: "margin:.6rem" }, "No study yet: launch one above."));
    return;
  }
  const head = ["Study", "Name", "By", "Created (UTC)", "Status", "Progress", "Summary", "Files", ""];
  clear(box, el("table", { id: "studies-table" },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, studies.map((s) => el("tr", { "data-study": s.id },
      el("td", { class: "num" }, el("strong", {}, String(s.id))),
      el("td", {}, s.name),
      el("td", {}, s.created_by),
      el("td", { class: "nowrap" }, utc(s.created_at)),
      el("td", {}, badge(s.status), s.error ? el("div", { class: "small bad" }, s.error) : ""),
      progressCell(s),
      summaryCell(s),
      el("td", { class: "nowrap" },
        s.report_url ? el("a", { href: s.report_url, target: "_blank", rel: "noopener" }, "Report") : "",
        s.report_url && s.results_url ? " · " : "",
        s.results_url ? el("a", { href: s.results_url, download: "" }, "Results (Parquet)") : "",
        !s.report_url && !s.results_url ? "–" : ""),
      el("td", {}, active(s) && canPlan && !s.cancel_requested
        ? el("button", { type: "button", class: "small danger", onclick: () => cancel(s), "aria-label": `Cancel study ${s.id}` }, "Cancel")
        : ""),
    )))));
}

async function cancel(s) {
  try {
    replace(await api(`/api/studies/${s.id}/cancel`, { method: "POST" }));
    render();
  } catch (err) {
    say(listMsg, `Study ${s.id} not cancelled: ${err.message}`, "bad");
  }
}

function replace(state) {
  const i = studies.findIndex((s) => s.id === state.id);
  if (i >= 0) studies[i] = state;
  else studies.unshift(state);
}

async function poll() {
  timer = null;
  const running = studies.filter(active);
  for (const s of running) {
    try {
      replace(await api(`/api/studies/${s.id}`));
    } catch {
      // a transient error is not the study's end: try again at the next tick
    }
  }
  render();
  schedule();
}

function schedule() {
  if (!timer && studies.some(active)) timer = setTimeout(poll, POLL_MS);
}

async function refresh() {
  try {
    studies = await api("/api/studies");
    say(listMsg, "");
  } catch (err) {
    say(listMsg, `Studies not loaded: ${err.message}`, "bad");
  }
  render();
  schedule();
}

refresh().finally(() => { document.body.dataset.ready = "true"; });
