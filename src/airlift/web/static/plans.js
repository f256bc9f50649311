// Plans page: start a schedule run, follow it live (server-sent events, polling as the
// fallback), cancel it, list runs with their KPIs, compare two runs, export a run and open
// each mission's page and printable brief; and the selected run's plan against actual
// (GET /api/runs/{id}/tracking: the figures, each leg and request against what was reported).
import {
  api, asList, briefHref, clear, currentRun, cutShort, el, listRuns, minutesText, missionHref, num, qty, qtyCell,
  rememberRun, runId, runResult, say, utc,
} from "./app.js";

const canPlan = ["planner", "admin"].includes(document.body.dataset.role);
const startForm = document.getElementById("start-form");
const startMsg = document.getElementById("start-msg");
const liveBody = document.getElementById("live-body");
const runsBox = document.getElementById("runs");
const runsMsg = document.getElementById("runs-msg");
const cmpForm = document.getElementById("compare-form");
const cmpA = document.getElementById("cmp-a");
const cmpB = document.getElementById("cmp-b");

/** KPI name -> [label, short unit, decimals]. */
const KPIS = {
  tonnes_delivered: ["Cargo delivered", "t", 1],
  pax_delivered: ["Passengers delivered", "pax", 0],
  requests: ["Requests", "requests", 0],
  delivered: ["Delivered in full", "requests", 0],
  partial: ["Partly delivered", "requests", 0],
  unmet: ["Unmet", "requests", 0],
  required_unmet: ["Required but unmet", "requests", 0],
  on_time_pct: ["On time", "%", 1],
  flying_hours: ["Flying", "h", 1],
  missions: ["Missions", "missions", 0],
  tails_used: ["Tails used", "tails", 0],
  legs_checked: ["Legs checked", "legs", 0],
  legs_passing: ["Legs passing every limit", "legs", 0],
};
/** The figures behind the scheduler's objective, in its order: [label, unit, decimals]. Runs
 * are judged on these, lexicographically (GET /api/runs/compare), never on the unitless
 * objective number. */
const FIGURES = {
  required_served: ["Required requests served in full", "requests", 0],
  priority_weighted_t: ["Priority-weighted payload", "t", 1],
  flying_hours: ["Flying", "h", 1],
};
const FIGURE_HINT = {
  required_served: "more is better",
  priority_weighted_t: "payload × priority weight (8, 4, 2, 1 for priority 1 to 4); more is better",
  flying_hours: "fewer is better",
};
const EXPORTS = [
  ["csv", "Legs CSV"], ["requests.csv", "Requests CSV"], ["json", "JSON"], ["geojson", "GeoJSON"], ["kml", "KML"],
];

let scenarios = new Map();
let runs = [];
let source = null;
let poll = null;

const scenarioName = (run) => (scenarios.get(run.scenario_id) || {}).name || (run.scenario_id ? `scenario ${run.scenario_id}` : "–");
const badge = (status) => el("span", { class: `badge ${status}` }, status);

// ---------------------------------------------------------------- start and follow a run

async function loadScenarios() {
  const list = asList(await api("/api/scenarios"), "scenarios");
  scenarios = new Map(list.map((s) => [s.id, s]));
  const select = document.getElementById("scenario");
  clear(select, list.map((s) => el("option", { value: s.id }, `${s.name} · ${s.days} days from ${utc(s.start_utc)}`)));
  if (!list.length) {
    select.append(el("option", { value: "" }, "No scenario: create one first"));
    select.disabled = true;
    document.getElementById("start-button").disabled = true;
  }
}

startForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = new FormData(startForm);
  const body = {
    scenario_id: Number(f.get("scenario_id")),
    time_limit_s: Number(f.get("time_limit_s")),
    seed: Number(f.get("seed")),
  };
  if (!(body.time_limit_s >= 1 && body.time_limit_s <= 600)) {
    say(startMsg, "Time limit: 1 to 600 s.", "bad");
    document.getElementById("time-limit").focus();
    return;
  }
  try {
    const run = await api("/api/runs", { method: "POST", json: body });
    say(startMsg, `Run ${runId(run)} queued: ${num(body.time_limit_s)} s time limit.`, "ok");
    follow(run);
    await refresh();
  } catch (err) {
    say(startMsg, `Not started: ${err.message}`, "bad");
  }
});

function renderLive(run) {
  const i = runs.findIndex((r) => String(runId(r)) === String(runId(run)));
  if (i >= 0 && runs[i].status !== run.status) {
    runs[i] = run;
    renderRuns();
  }
  const active = run.status === "queued" || run.status === "running";
  const pct = Number(run.progress_pct ?? (run.time_limit_s ? (100 * run.progress_s) / run.time_limit_s : 0));
  clear(liveBody,
    el("p", {}, el("strong", {}, `Run ${runId(run)}`), " · ", scenarioName(run), " · ", badge(run.status),
      run.cancel_requested && active ? el("span", { class: "small muted" }, " cancel requested…") : ""),
    el("progress", { max: 100, value: Math.min(100, pct), "aria-label": `Run ${runId(run)} progress` }),
    el("dl", { class: "definition", style: "margin-top:.5rem" },
      el("dt", {}, "Solved"), el("dd", { id: "live-progress" }, `${num(run.progress_s, 1)} s of ${num(run.time_limit_s, 0)} s (${num(pct, 0)} %)`),
      el("dt", {}, "Solver score"), el("dd", { id: "live-objective" }, run.best_objective == null ? "none yet" : `${num(run.best_objective, 0)} (no unit; falls as the search improves; runs are compared on their figures)`),
      run.error ? [el("dt", {}, "Error"), el("dd", { class: "bad" }, run.error)] : ""),
    el("div", { class: "row", style: "margin-top:.6rem" },
      active && canPlan ? el("button", { type: "button", class: "danger", id: "cancel", onclick: () => cancel(run) }, "Cancel run") : "",
      run.status === "done" ? el("button", { type: "button", class: "primary", onclick: () => showDetail(run) }, "Show results") : ""),
  );
}

function stopFollowing() {
  if (source) source.close();
  source = null;
  clearInterval(poll);
  poll = null;
}

function follow(run) {
  stopFollowing();
  renderLive(run);
  const id = runId(run);
  const finish = async (state) => {
    stopFollowing();
    renderLive(state);
    await refresh();
    if (state.status === "done") await showDetail(state);
  };
  if ("EventSource" in window) {
    source = new EventSource(`/api/runs/${id}/events`);
    source.addEventListener("progress", (e) => renderLive(JSON.parse(e.data)));
    source.addEventListener("end", (e) => finish(JSON.parse(e.data)));
    source.onerror = () => {
      // The stream dropped (proxy, server restart): poll instead.
      if (source) source.close();
      source = null;
      pollRun(id, finish);
    };
  } else {
    pollRun(id, finish);
  }
}

function pollRun(id, finish) {
  clearInterval(poll);
  poll = setInterval(async () => {
    try {
      const state = await api(`/api/runs/${id}`);
      if (["done", "failed", "cancelled", "deleted"].includes(state.status)) finish(state);
      else renderLive(state);
    } catch {
      // keep polling: a transient error is not the run's end
    }
  }, 1000);
}

async function cancel(run) {
  try {
    const state = await api(`/api/runs/${runId(run)}/cancel`, { method: "POST" });
    renderLive(state);
  } catch (err) {
    say(startMsg, `Not cancelled: ${err.message}`, "bad");
  }
}

// ---------------------------------------------------------------- runs table and compare

function kpiText(k, name) {
  const [, unit, d] = KPIS[name];
  return k && k[name] != null ? qty(k[name], unit, d) : "–";
}

function renderRuns() {
  if (!runs.length) {
    clear(runsBox, el("p", { class: "msg info", style: "margin:.6rem" }, "No run yet: start one above."));
    return;
  }
  const head = ["Run", "Scenario", "By", "Created (UTC)", "Status", "Time limit", "Seed", "Cargo", "Passengers", "Requests delivered", "Flying", "Missions", "Open"];
  clear(runsBox, el("table", { id: "runs-table" },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, runs.map((r) => {
      const k = r.kpis || {};
      const done = r.status === "done";
      return el("tr", { "data-run": runId(r) },
        el("td", { class: "num" }, el("strong", {}, String(runId(r)))),
        el("td", { class: "small" }, scenarioName(r)),
        el("td", {}, r.created_by || ""),
        el("td", { class: "nowrap" }, utc(r.created_at)),
        el("td", {}, badge(r.status), r.error ? el("div", { class: "small bad" }, r.error) : ""),
        qtyCell(r.time_limit_s, "s"),
        el("td", { class: "num" }, String(r.seed ?? "–")),
        el("td", { class: "num" }, kpiText(k, "tonnes_delivered")),
        el("td", { class: "num" }, kpiText(k, "pax_delivered")),
        el("td", { class: "num" }, k.requests != null ? [`${num(k.delivered)} of ${num(k.requests)}`, el("div", { class: "small muted" }, `${num(k.unmet)} unmet, ${num(k.required_unmet)} of them required`)] : "–"),
        el("td", { class: "num" }, kpiText(k, "flying_hours")),
        el("td", { class: "num" }, k.missions != null ? num(k.missions) : "–"),
        el("td", { class: "nowrap" }, done
          ? [el("button", { type: "button", class: "small", onclick: () => showDetail(r), "aria-label": `Show run ${runId(r)}` }, "Details"), " ",
            el("a", { href: `/map?run=${runId(r)}` }, "Map"), " · ", el("a", { href: `/timeline?run=${runId(r)}` }, "Timeline")]
          : (r.status === "queued" || r.status === "running")
            ? el("button", { type: "button", class: "small", onclick: () => follow(r) }, "Follow")
            : ""),
      );
    }))));
  const done = runs.filter((r) => r.status === "done");
  // The two newest finished runs, until the user picks others.
  for (const [select, pick] of [[cmpA, done[1] || done[0]], [cmpB, done[0]]]) {
    const keep = select.dataset.touched ? select.value : pick && String(runId(pick));
    clear(select, done.map((r) => el("option", { value: runId(r), selected: String(runId(r)) === keep }, `Run ${runId(r)} · seed ${r.seed ?? "–"} · ${utc(r.created_at)}`)));
  }
  cmpForm.querySelector("button").disabled = done.length < 2;
}

async function refresh() {
  try {
    runs = await listRuns();
    runs.sort((a, b) => Number(runId(b)) - Number(runId(a)));
    say(runsMsg, "");
  } catch (err) {
    say(runsMsg, `Runs not loaded: ${err.message}`, "bad");
  }
  renderRuns();
}

for (const select of [cmpA, cmpB]) select.addEventListener("change", () => { select.dataset.touched = "true"; });

cmpForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = document.getElementById("compare");
  const body = document.getElementById("compare-body");
  box.hidden = false;
  try {
    const c = await api(`/api/runs/compare?a=${cmpA.value}&b=${cmpB.value}`);
    const name = { a: `Run ${cmpA.value} (A)`, b: `Run ${cmpB.value} (B)` };
    document.getElementById("compare-title").textContent = `Comparison: run ${cmpA.value} (A) and run ${cmpB.value} (B)`;
    clear(body,
      verdict(c.objective, name),
      el("h3", {}, "The figures behind the objective, in its order"),
      el("div", { class: "table-wrap" }, el("table", { id: "figures-table" },
        el("thead", {}, el("tr", {}, ["#", "Figure", name.a, name.b, "B − A", ""].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, c.objective.figures.map((f, i) => {
          const [label, unit, d] = FIGURES[f.name] || [f.name, f.unit, 1];
          const of = (side) => (f.name === "required_served" ? ` of ${num(c.objective[side].required)}` : "");
          const mark = (side) => (f.better === side ? el("span", { class: "badge ok" }, f.decides ? "better: decides" : "better") : "");
          return el("tr", { "data-figure": f.name, class: f.decides ? "decides" : "" },
            el("td", { class: "num" }, `${i + 1}`),
            el("th", { scope: "row" }, label, el("div", { class: "small muted" }, FIGURE_HINT[f.name] || "")),
            el("td", { class: "num" }, `${num(f.a, d)}${of("a")} ${unit}`, " ", mark("a")),
            el("td", { class: "num" }, `${num(f.b, d)}${of("b")} ${unit}`, " ", mark("b")),
            el("td", { class: "num" }, `${f.difference > 0 ? "+" : ""}${num(f.difference, d)} ${unit}`),
            el("td", { class: "small muted" }, f.better === "same" ? "same" : f.decides ? "decides" : "not reached: an earlier figure decides"));
        })))),
      el("h3", {}, "Other figures"),
      el("div", { class: "table-wrap" }, el("table", { id: "compare-table" },
        el("thead", {}, el("tr", {}, ["KPI", name.a, name.b, "B − A"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, (c.kpis || []).map((k) => {
          const [label, unit, d] = KPIS[k.name] || [k.name, k.unit, 1];
          return el("tr", {},
            el("th", { scope: "row" }, label),
            qtyCell(k.a, unit, d),
            qtyCell(k.b, unit, d),
            el("td", { class: "num" }, k.difference == null ? "–" : `${k.difference > 0 ? "+" : ""}${num(k.difference, d)} ${unit}`));
        })))),
      (c.utilisation_h_per_day || []).length ? el("h3", {}, "Utilisation by tail (h of flight per available day)") : "",
      (c.utilisation_h_per_day || []).length ? el("div", { class: "table-wrap" }, el("table", {},
        el("thead", {}, el("tr", {}, ["Tail", "A", "B", "B − A"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, c.utilisation_h_per_day.map((t) => el("tr", {},
          el("th", { scope: "row" }, t.tail), qtyCell(t.a, "h/day", 1), qtyCell(t.b, "h/day", 1),
          el("td", { class: "num" }, t.difference == null ? "–" : `${t.difference > 0 ? "+" : ""}${num(t.difference, 1)} h/day`)))))) : "",
    );
    box.scrollIntoView({ block: "nearest" });
  } catch (err) {
    clear(body, el("p", { class: "msg bad" }, `Not compared: ${err.message}`));
  }
});

/** One sentence: which run is better and the figure that decides it. */
function verdict(objective, name) {
  const f = objective.figures.find((x) => x.decides);
  if (!f) {
    return el("p", { class: "msg info", id: "verdict" }, "Neither run is better: they are equal on every figure of the objective (required requests served, priority-weighted payload, flying hours).");
  }
  const [label, unit, d] = FIGURES[f.name];
  const winner = objective.better;
  const loser = winner === "a" ? "b" : "a";
  const text = f.name === "required_served"
    ? `it serves ${num(f[winner], 0)} of ${num(objective[winner].required)} required requests in full, against ${num(f[loser], 0)} of ${num(objective[loser].required)}`
    : f.name === "priority_weighted_t"
      ? `equal on required requests served, it carries ${num(f[winner], d)} ${unit} of priority-weighted payload against ${num(f[loser], d)} ${unit}`
      : `equal on required requests and priority-weighted payload, it flies ${num(f[winner], d)} ${unit} against ${num(f[loser], d)} ${unit}`;
  return el("p", { class: "msg ok", id: "verdict" }, el("strong", {}, `${name[winner]} is better`), `: ${text} (${label.toLowerCase()} decides).`);
}

// ---------------------------------------------------------------- one run's results

/** What the scheduler optimised, as figures in its order (the run's objective, with units). */
function figuresBlock(doc) {
  const f = doc.objective_figures;
  if (!f) return "";
  return [
    el("h3", {}, "What the scheduler optimised, in its order"),
    el("ol", { class: "kpis figures", id: "objective-figures" }, Object.entries(FIGURES).map(([name, [label, unit, d]]) =>
      el("li", { class: "kpi", "data-figure": name },
        el("div", { class: "v" }, num(f[name], d), name === "required_served" ? ` of ${num(f.required)}` : "", el("span", { class: "unit" }, ` ${unit}`)),
        el("div", { class: "k" }, label, el("div", { class: "small muted" }, FIGURE_HINT[name]))))),
    el("h3", {}, "Figures"),
  ];
}

async function showDetail(run) {
  const id = runId(run);
  rememberRun(id);
  const box = document.getElementById("detail");
  const body = document.getElementById("detail-body");
  box.hidden = false;
  document.getElementById("detail-title").textContent = `Run ${id} · ${scenarioName(run)}`;
  clear(body, el("p", { class: "muted" }, "Loading…"));
  let doc;
  try {
    doc = await runResult(id);
  } catch (err) {
    clear(body, el("p", { class: "msg bad" }, `No result: ${err.message}`));
    return;
  }
  showTracking(run);
  const k = doc.kpis || {};
  const unmet = (doc.requests || []).filter((r) => r.status !== "delivered");
  clear(body,
    el("p", { class: "small muted" }, `${doc.engine || ""} engine · solved in ${num(doc.solve_seconds, 1)} s · ${doc.days} days from ${utc(doc.start_utc)}`,
      " ", cutShort(doc)),
    figuresBlock(doc),
    el("div", { class: "kpis" }, Object.entries(KPIS).filter(([name]) => k[name] != null).map(([name, [label, unit, d]]) =>
      el("div", { class: "kpi" }, el("div", { class: "v" }, num(k[name], d), el("span", { class: "unit" }, ` ${unit}`)), el("div", { class: "k" }, label)))),
    el("h3", {}, "Exports"),
    el("div", { class: "row tight", id: "exports" }, EXPORTS.map(([fmt, label]) =>
      el("a", { class: "button small", href: `/api/runs/${id}/export/${fmt}`, download: "", "data-fmt": fmt }, label)),
      el("a", { class: "button small", href: `/map?run=${id}` }, "Map"),
      el("a", { class: "button small", href: `/timeline?run=${id}` }, "Timeline")),
    el("h3", {}, `Missions (${doc.missions.length})`),
    el("div", { class: "table-wrap", style: "max-height: 420px" }, el("table", { id: "missions-table" },
      el("thead", {}, el("tr", {}, ["#", "Date (UTC)", "Tail", "Aircraft", "Route", "First take-off", "Flight time", "Lifts", "Open"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, doc.missions.map((m, i) => {
        const first = m.plan.legs[0] || {};
        return el("tr", {},
          el("td", { class: "num" }, String(i + 1)),
          el("td", { class: "nowrap" }, `${m.date} · day ${m.day}`),
          el("td", {}, el("strong", {}, m.tail)),
          el("td", {}, `${m.aircraft} · ${m.nation}`),
          el("td", { class: "mono small" }, m.route.join(" → ")),
          el("td", { class: "nowrap" }, utc(first.etd_utc, false)),
          el("td", { class: "nowrap" }, minutesText(m.flight_time_min)),
          el("td", { class: "num" }, String((m.lifts || []).length)),
          el("td", { class: "nowrap" },
            el("a", { href: missionHref(id, i), "aria-label": `Mission ${i + 1} page` }, "Mission"), " · ",
            el("a", { href: briefHref(id, i), target: "_blank", rel: "noopener", class: "brief-link", "aria-label": `Printable brief of mission ${i + 1}` }, "Brief")));
      })))),
    el("h3", {}, `Requests not fully delivered (${unmet.length})`),
    unmet.length ? el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ["Request", "Priority", "Status", "Lifts delivered", "Reason"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, unmet.map((r) => el("tr", {},
        el("td", {}, el("strong", {}, r.request_id)), el("td", { class: "num" }, String(r.priority)),
        el("td", {}, badge(r.status), r.optional ? el("div", { class: "small muted" }, "optional") : ""),
        el("td", { class: "num" }, `${r.lifts_delivered} of ${r.lifts}`),
        el("td", {}, r.reason || "")))))) : el("p", { class: "msg ok" }, "Every request is delivered."),
  );
}

// ---------------------------------------------------------------- plan against actual

/** ``?as_of=`` of the page: plan against actual at that UTC time (default: now). */
const asOf = new URLSearchParams(location.search).get("as_of");
/** Plan-against-actual status -> badge tone (statuses of tracking/compare.py, legs and requests). */
const TONES = {
  planned: "neutral", "not planned": "neutral", delayed: "warn", partial: "warn", departed: "running",
  airborne: "running", "in transit": "running", landed: "ok", delivered: "ok", diverted: "bad",
  "not flown": "bad", late: "bad",
};
const statusBadge = (status) => el("span", { class: `badge ${TONES[status] || "neutral"}` }, status);
const delayText = (min) => (min == null ? "–" : `${min > 0 ? "+" : min < 0 ? "−" : "±"}${num(Math.abs(min))} min`);
const signed = (value, unit, d = 0) => (value == null ? "–" : `${value > 0 ? "+" : value < 0 ? "−" : "±"}${num(Math.abs(value), d)} ${unit}`);

function trackingFigures(t) {
  const f = t.figures;
  const breaking = t.legs.filter((l) => (l.problems || []).length);
  const kpi = (name, value, label, hint) => el("div", { class: "kpi", "data-figure": name },
    el("div", { class: "v" }, value), el("div", { class: "k" }, label, hint ? el("div", { class: "small muted" }, hint) : ""));
  return [
    el("div", { class: "kpis", id: "tracking-figures" },
      kpi("on_time", [`${num(f.on_time_departures)} of ${num(f.departed)}`, el("span", { class: "unit" }, " departures"),
        f.on_time_pct != null ? el("div", { class: "small" }, qty(f.on_time_pct, "%", 1)) : ""],
      "On-time departures", `within ${num(t.on_time_min)} min of plan; ${num(f.legs)} legs planned`),
      kpi("tonnes", [`${num(f.tonnes_delivered, 1)} of ${num(f.tonnes_planned, 1)}`, el("span", { class: "unit" }, " t"),
        f.delivered_pct != null ? el("div", { class: "small" }, qty(f.delivered_pct, "%", 1)) : ""],
      "Cargo delivered against plan", "landed at its destination"),
      kpi("unplanned", [num(f.unplanned), el("span", { class: "unit" }, " legs")], "Unplanned legs", "reported, matching no planned leg"),
      kpi("newly_infeasible", [num(f.newly_infeasible), el("span", { class: "unit" }, " legs")], "Legs now breaking a limit", "not yet landed, re-timed by the delays")),
    breaking.length ? el("ul", { class: "problems", id: "tracking-problems" }, breaking.flatMap((l) =>
      l.problems.map((p) => el("li", { class: "bad" }, el("strong", {}, `${l.tail} day ${l.day}: `), p)))) : "",
  ];
}

function trackingLegs(t) {
  const head = ["Tail", "Day", "Leg", "Route", "Status", "Planned OFF (UTC)", "Actual OFF (UTC)", "Delay", "Fuel burn vs plan", "Load vs plan", "Source"];
  return el("div", { class: "table-wrap", style: "max-height: 420px" }, el("table", { id: "tracking-legs" },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, t.legs.map((l) => {
      const late = l.delay_min != null && l.delay_min > t.on_time_min;
      const projected = l.departure_delay_min == null;
      return el("tr", { "data-leg": `${l.tail}-${l.day}-${l.leg}`, "data-status": l.status },
        el("td", {}, el("strong", {}, l.tail)),
        el("td", { class: "num" }, String(l.day)),
        el("td", { class: "num" }, String(l.leg)),
        el("td", { class: "mono small" }, `${l.origin} → ${l.destination}`,
          l.actual_destination && l.actual_destination !== l.destination ? el("div", { class: "bad" }, `landed at ${l.actual_destination}`) : ""),
        el("td", {}, statusBadge(l.status)),
        el("td", { class: "nowrap" }, utc(l.planned_off_utc)),
        el("td", { class: "nowrap" }, utc(l.actual_off_utc)),
        el("td", { class: `num nowrap${late ? " bad" : ""}` }, projected && !l.delay_min ? "–" : delayText(l.delay_min),
          projected && l.delay_min ? el("div", { class: "small muted" }, "projected") : ""),
        el("td", { class: "num nowrap" }, signed(l.burn_vs_plan_pct, "%", 1)),
        el("td", { class: "num nowrap" }, signed(l.cargo_vs_plan_kg, "kg")),
        el("td", { class: "small" }, l.source || "–"));
    }))));
}

function trackingRequests(t) {
  const head = ["Request", "Status", "Lifts delivered", "Delivered", "Latest (UTC)", "Late"];
  return el("div", { class: "table-wrap", style: "max-height: 320px" }, el("table", { id: "tracking-requests" },
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, t.requests.map((r) => el("tr", { "data-request": r.request_id },
      el("td", {}, el("strong", {}, r.request_id)),
      el("td", {}, statusBadge(r.status)),
      el("td", { class: "num" }, `${num(r.lifts_delivered)} of ${num(r.lifts)}`),
      el("td", { class: "num nowrap" }, `${num(r.delivered_kg)} of ${qty(r.planned_kg, "kg")}`),
      el("td", { class: "nowrap" }, utc(r.latest_utc)),
      el("td", { class: "num nowrap" }, r.late_min != null ? qty(r.late_min, "min") : "–"))))));
}

let trackingRun = null; // the run shown: a slower answer for another run is dropped

async function showTracking(run) {
  const id = runId(run);
  trackingRun = id;
  const box = document.getElementById("tracking");
  const body = document.getElementById("tracking-body");
  box.hidden = false;
  clear(body, el("p", { class: "muted" }, "Loading…"));
  const query = asOf ? `?as_of=${encodeURIComponent(asOf)}` : "";
  let t;
  try {
    t = await api(`/api/runs/${id}/tracking${query}`);
  } catch (err) {
    if (trackingRun !== id) return;
    clear(body, el("p", { class: "msg bad" }, `Plan against actual not loaded: ${err.message}`));
    return;
  }
  if (trackingRun !== id) return;
  const reported = t.legs.filter((l) => l.source).length;
  clear(body,
    el("p", { class: "small muted", id: "tracking-asof" }, `Run ${id} as of ${utc(t.as_of_utc)} · ${num(reported)} of ${num(t.legs.length)} legs reported`),
    trackingFigures(t),
    el("h3", {}, "Exports"),
    el("div", { class: "row tight", id: "tracking-exports" }, [["csv", "Plan against actual CSV"], ["json", "Plan against actual JSON"]].map(([fmt, label]) =>
      el("a", { class: "button small", href: `/api/runs/${id}/tracking/export/${fmt}${query}`, download: "", "data-fmt": fmt }, label))),
    el("h3", {}, `Legs (${t.legs.length})`),
    trackingLegs(t),
    el("h3", {}, `Requests (${t.requests.length})`),
    trackingRequests(t),
    (t.notes || []).length ? el("ul", { class: "small muted", id: "tracking-notes" }, t.notes.map((n) => el("li", {}, n))) : "",
  );
}

// ---------------------------------------------------------------- start

(async () => {
  if (!canPlan) {
    document.getElementById("start").hidden = true;
  }
  try {
    await loadScenarios();
  } catch (err) {
    say(startMsg, `Scenarios not loaded: ${err.message}`, "bad");
  }
  await refresh();
  const active = runs.find((r) => r.status === "running" || r.status === "queued");
  if (active) follow(active);
  try {
    const { run: shown, problem } = await currentRun();
    if (problem) say(runsMsg, problem, "bad");
    else if (shown) await showDetail(shown);
  } catch (err) {
    say(runsMsg, `Runs not loaded: ${err.message}`, "bad");
  }
  document.body.dataset.ready = "true";
})();
