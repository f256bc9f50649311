// Shared helpers of every page: API calls with the CSRF token, DOM building without
// innerHTML (nothing from the server is ever parsed as HTML), number/unit and UTC/local time
// formatting, the run picker, per-tail colours.

export class ApiError extends Error {
  constructor(status, body, message) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return (meta && meta.content) || sessionStorage.getItem("airlift-csrf") || "";
}

function detailText(body, status) {
  if (body && typeof body === "object") {
    const d = body.detail ?? body.message ?? body.error;
    if (typeof d === "string") return d;
    if (Array.isArray(d)) {
      return d.map((e) => (e && (e.msg || e.reason || e.message)) || JSON.stringify(e)).join("; ");
    }
    if (d && typeof d === "object") return d.message || d.reason || JSON.stringify(d);
  }
  if (typeof body === "string" && body) return body.slice(0, 300);
  return `HTTP ${status}`;
}

/** fetch() on the same origin: JSON in and out, CSRF header on writes, 401 -> login page. */
export async function api(path, { method = "GET", json, form, redirectOn401 = true } = {}) {
  const headers = { Accept: "application/json" };
  const init = { method, headers, credentials: "same-origin" };
  if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrfToken();
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (form !== undefined) {
    init.body = form;
  }
  const resp = await fetch(path, init);
  const type = resp.headers.get("content-type") || "";
  const body = type.includes("json") ? await resp.json().catch(() => null) : await resp.text();
  if (resp.status === 401 && redirectOn401) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new ApiError(401, body, "not logged in");
  }
  if (!resp.ok) throw new ApiError(resp.status, body, detailText(body, resp.status));
  return body;
}

/** A list from an API answer: the array itself or its items/data/... member. */
export function asList(body, ...keys) {
  if (Array.isArray(body)) return body;
  if (body && typeof body === "object") {
    for (const k of [...keys, "items", "data", "results"]) {
      if (Array.isArray(body[k])) return body[k];
    }
  }
  return [];
}

/** el("td", {class: "num"}, "12") : attributes, then children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = attrs && attrs.svg
    ? document.createElementNS("http://www.w3.org/2000/svg", tag)
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "svg" || value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function svg(tag, attrs = {}, ...children) {
  return el(tag, { ...attrs, svg: true }, ...children);
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** Show a message in a role=status/alert box; kind: ok | warn | bad | info. */
export function say(box, text, kind = "info") {
  if (!box) return;
  box.className = `msg ${kind}`;
  box.textContent = text || "";
}

// ---------------------------------------------------------------- numbers with units

const NF = new Map();
export function num(value, decimals = 0) {
  if (value === null || value === undefined || value === "" || Number.isNaN(Number(value))) return "–";
  let f = NF.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat("en-GB", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    NF.set(decimals, f);
  }
  return f.format(Number(value));
}

/** "1,234 kg": the number and its unit in one string (no unit when the value is missing). */
export function qty(value, unit, decimals = 0) {
  const n = num(value, decimals);
  return n === "–" ? n : `${n} ${unit}`;
}

/** A cell with the number right-aligned and its unit in small type. */
export function qtyCell(value, unit, decimals = 0) {
  const n = num(value, decimals);
  return el("td", { class: "num" }, n, n === "–" ? "" : el("span", { class: "unit" }, ` ${unit}`));
}

// ---------------------------------------------------------------- times: UTC with local beside

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n) => String(n).padStart(2, "0");

export function parseUtc(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "27 Oct 05:23Z" (withDate) or "05:23Z". */
export function utc(iso, withDate = true) {
  const d = iso instanceof Date ? iso : parseUtc(iso);
  if (!d) return "–";
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}Z`;
  return withDate ? `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${hm}` : hm;
}

/** Local wall-clock time from an ISO string that carries its offset: "06:23 (UTC+01:00)". */
export function localFromIso(isoLocal, withDate = false) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(isoLocal || "");
  if (!m) return "";
  const off = !m[6] || m[6] === "Z" ? "+00:00" : m[6];
  const date = withDate ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ` : "";
  return `${date}${m[4]}:${m[5]} local (UTC${off})`;
}

/** Local wall-clock time of a UTC instant in an IANA zone: "06:23 local (Africa/Niamey)". */
export function localInZone(iso, tz, withDate = false) {
  const d = iso instanceof Date ? iso : parseUtc(iso);
  if (!d || !tz) return "";
  try {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", {
        timeZone: tz, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      }).formatToParts(d).map((p) => [p.type, p.value]),
    );
    const date = withDate ? `${parts.day} ${parts.month} ` : "";
    return `${date}${parts.hour}:${parts.minute} local`;
  } catch {
    return "";
  }
}

/** "27 Oct 05:23Z · 06:23 local (UTC+01:00)". */
export function utcLocal(isoUtc, isoLocal, withDate = true) {
  const local = localFromIso(isoLocal);
  return local ? `${utc(isoUtc, withDate)} · ${local}` : utc(isoUtc, withDate);
}

export function minutesText(min) {
  if (min === null || min === undefined) return "–";
  const m = Math.round(Number(min));
  return `${num(m)} min (${Math.floor(m / 60)} h ${pad(m % 60)})`;
}

// ---------------------------------------------------------------- runs and tails

/** Categorical colours, distinguishable on the map's land colour and dark enough for white
 * labels on the timeline bars (contrast at least 4.5:1). */
export const TAIL_COLOURS = [
  "#1f5fa8", "#c0392b", "#1e7d3c", "#7b3fa0", "#b3478f", "#8c564b", "#0f7c8c", "#6f6f00",
  "#c2570c", "#393b79", "#4d6b1f", "#843c39",
];

export function tailColours(tails) {
  const sorted = [...new Set(tails)].sort();
  return new Map(sorted.map((t, i) => [t, TAIL_COLOURS[i % TAIL_COLOURS.length]]));
}

export const runId = (run) => run.id ?? run.run_id;
/** A run the time limit stopped early (the document's ``cut_short``): what was found in time. */
export const cutShort = (doc) => doc.cut_short
  ? el("span", { class: "badge warn wrap", id: "cut-short" }, "the time limit cut the search short: a longer limit may serve more")
  : "";

export async function listRuns() {
  return asList(await api("/api/runs"), "runs");
}


// The run every page shows is chosen once, here: ?run= in the URL, else the run last picked
// on any page (localStorage), else the current programme (the newest approved run, else the
// newest finished run that is no re-plan proposal). A ?run= that names no run, or a
// run that is not done, is reported and never replaced by another run. Every page that picks
// a run remembers it and the navigation links carry it.

const RUN_KEY = "airlift-run";
const RUN_PAGES = ["/map", "/timeline", "/board", "/plans", "/fleet", "/requests"];

const newestFirst = (runs) => [...runs].sort((a, b) => Number(runId(b)) - Number(runId(a)));

/** The finished runs, newest first. */
export const doneRuns = (runs) => newestFirst(runs.filter((r) => r.status === "done"));

/** The run this page shows: { run, done, problem }; run is null when there is none to show,
 * with problem saying why when the URL asked for a run that cannot be shown. */
export async function currentRun() {
  const runs = await listRuns();
  const done = doneRuns(runs);
  const asked = new URLSearchParams(location.search).get("run");
  if (asked !== null) {
    if (!/^\d{1,10}$/.test(asked)) return { run: null, done, problem: `"${asked}" is not a run number.` };
    let run = runs.find((r) => String(runId(r)) === asked);
    if (!run) {
      try {
        run = await api(`/api/runs/${asked}`); // older than the list's newest 50
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 404) throw err;
        return { run: null, done, problem: `Run ${asked} does not exist: pick a finished run.` };
      }
    }
    if (run.status !== "done") {
      return { run: null, done, problem: `Run ${asked} is ${run.status}: only a finished (done) run has a programme to show.` };
    }
    if (!done.some((r) => runId(r) === runId(run))) done.push(run);
    return { run, done, problem: "" };
  }
  const stored = localStorage.getItem(RUN_KEY);
  const remembered = done.find((r) => String(runId(r)) === stored);
  return { run: remembered || programmeRun(done), done, problem: "" };
}

/** The current programme among finished runs (newest first), as GET /api/programme/current
 * chooses it: the newest approved re-plan, unless a schedule run (no approval) finished
 * after it was approved; else the newest schedule run; else the newest. */
export function programmeRun(done) {
  const approved = done.find((r) => r.approval === "approved");
  const plain = done.find((r) => !r.approval);
  if (approved && plain) {
    const drawn = Date.parse(plain.finished_at || plain.created_at);
    return approved.approved_at && drawn <= Date.parse(approved.approved_at) ? approved : plain;
  }
  return approved || plain || done[0] || null;
}

/** Point the navigation links of the run pages at run ``id``. */
function linkRun(id) {
  for (const a of document.querySelectorAll(".topbar .nav a")) {
    const url = new URL(a.href, location.href);
    if (!RUN_PAGES.includes(url.pathname)) continue;
    url.searchParams.set("run", String(id));
    a.href = url.pathname + url.search;
  }
}

/** Remember run ``id`` as the one every page shows; ``inUrl``: put it in this page's ?run=. */
export function rememberRun(id, { inUrl = true } = {}) {
  localStorage.setItem(RUN_KEY, String(id));
  linkRun(id);
  if (!inUrl) return;
  const url = new URL(location.href);
  url.searchParams.set("run", String(id));
  history.replaceState(null, "", url);
}

export function runLabel(run) {
  const when = run.created_at ? ` · ${utc(run.created_at)}` : "";
  const kind = run.kind === "replan" ? ` · re-plan of ${run.parent_id}` : "";
  const approval = run.approval ? ` · ${run.approval}` : "";
  return `Run ${runId(run)}${kind}${approval}${when}`;
}

/** Fill a <select> with the finished runs and show the chosen one: onPick(run, problem) now
 * and onPick(run, "") on every change. An unknown or unfinished ?run= gives onPick(null,
 * problem) and a placeholder option naming it. */
export async function runPicker(select, onPick) {
  const { run: chosen, done, problem } = await currentRun();
  const asked = new URLSearchParams(location.search).get("run");
  clear(select,
    problem ? el("option", { value: "", selected: true, disabled: true }, `Run ${asked}: cannot be shown`) : null,
    done.map((r) => el("option", { value: runId(r), selected: chosen && runId(r) === runId(chosen) }, runLabel(r))));
  select.disabled = done.length === 0;
  select.addEventListener("change", () => {
    const run = done.find((r) => String(runId(r)) === select.value);
    if (run) {
      rememberRun(runId(run));
      onPick(run, "");
    }
  });
  if (chosen) rememberRun(runId(chosen));
  await onPick(chosen, problem);
  return done;
}

/** Missions are numbered from 1 in page and brief URLs (index 0 of result.missions is 1). */
export const MISSION_BASE = 1;
export const missionHref = (run, index) => `/plans/${run}/missions/${index + MISSION_BASE}`;
export const briefHref = (run, index) => `/api/runs/${run}/missions/${index + MISSION_BASE}/brief`;

const resultCache = new Map();
export async function runResult(id) {
  if (!resultCache.has(id)) resultCache.set(id, api(`/api/runs/${id}/result`));
  return resultCache.get(id);
}

export async function airfieldsByIcao() {
  const list = asList(await api("/api/airfields"), "airfields");
  return new Map(list.map((a) => [a.icao, a]));
}

/** Planning attributes of an airfield, wherever the API puts them. */
export function planning(af) {
  return { ...(af || {}), ...((af && af.planning) || {}) };
}

// ---------------------------------------------------------------- page chrome

function wireLogout() {
  const button = document.getElementById("logout");
  if (!button) return;
  button.addEventListener("click", async () => {
    try {
      await api("/api/auth/logout", { method: "POST", redirectOn401: false });
    } catch {
      // already logged out: the login page is where we go anyway
    }
    sessionStorage.removeItem("airlift-csrf");
    location.assign("/login");
  });
}

wireLogout();
if (localStorage.getItem(RUN_KEY)) linkRun(localStorage.getItem(RUN_KEY));
