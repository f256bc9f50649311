// Mission page: one mission of a finished run, every leg with its figures and units, the
// lifts on board, and the link to its printable brief.
import { clear, el, localFromIso, minutesText, num, qty, qtyCell, rememberRun, runResult, say, utc } from "./app.js";

const root = document.getElementById("mission");
const runId = Number(root.dataset.run);
const n = Number(root.dataset.n);
const body = document.getElementById("mission-body");
const msg = document.getElementById("mission-msg");

function timeCell(isoUtc, isoLocal) {
  return el("td", { class: "nowrap" }, utc(isoUtc), el("div", { class: "small muted" }, localFromIso(isoLocal)));
}

/** "6 h 47" from minutes. */
function hm(min) {
  if (min == null) return "–";
  const m = Math.round(Number(min));
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")}`;
}

/** The lifts on board during leg l. */
function onBoard(m, l) {
  const i = l.index ?? l.number - 1;
  return (m.lifts || []).filter((x) => x.pickup_leg <= i && i <= x.delivery_leg);
}

/** "UN1863 class 3", "hazardous, class not given", "none"; runs stored before lifts carried
 * their cargo say so. */
function hazardText(l) {
  if (l.hazardous === undefined) return "not recorded in this run";
  if (!l.hazardous) return "none";
  if (!l.dg_class) return el("span", { class: "badge bad" }, "hazardous, class not given");
  return el("span", { class: "badge bad" }, `${l.un_number || "UN number not given"} class ${l.dg_class}`);
}

function policyText(policy) {
  if (!policy) return "–";
  if (typeof policy === "string") return policy;
  return policy.description ? `${policy.name} (${policy.description})` : policy.name || "–";
}

function render(doc, m) {
  const legs = m.plan.legs;
  const totals = m.plan.totals || {};
  const duty = m.plan.duty || {};
  document.getElementById("mission-title").textContent = `Mission ${n}: ${m.tail} · ${m.route.join(" → ")}`;
  document.getElementById("mission-sub").textContent = `${m.aircraft} · ${m.nation} · ${m.date} (day ${m.day}) · run ${runId} · fuel policy: ${policyText(m.plan.fuel_policy)}`;
  document.getElementById("next").hidden = n >= doc.missions.length;
  const violations = m.plan.violations || [];
  const warnings = m.plan.warnings || [];
  clear(body,
    el("div", { class: "kpis" },
      [[`Flight time (${hm(totals.flight_time_min ?? m.flight_time_min)})`, qty(totals.flight_time_min ?? m.flight_time_min, "min")],
        [`Block time (${hm(totals.block_time_min)})`, qty(totals.block_time_min, "min")],
        ["Crew duty (of the limit)", duty.minutes != null ? `${num(duty.minutes)} of ${num(duty.limit_min)} min` : "–"],
        ["Distance", qty(totals.dist_nm ?? legs.reduce((s, l) => s + (l.dist_nm || 0), 0), "NM", 1)],
        ["Trip fuel", qty(totals.trip_fuel_kg ?? legs.reduce((s, l) => s + (l.trip_fuel_kg || 0), 0), "kg")],
        ["Fuel uplift", qty(totals.uplift_kg, "kg")],
        ["Cargo lifted", qty((m.lifts || []).reduce((s, l) => s + (l.cargo_kg || 0), 0), "kg")],
        ["Passengers lifted", qty((m.lifts || []).reduce((s, l) => s + (l.pax || 0), 0), "pax")],
      ].map(([k, v]) => el("div", { class: "kpi" }, el("div", { class: "v" }, v), el("div", { class: "k" }, k)))),
    violations.length
      ? el("div", { class: "msg bad" }, el("strong", {}, "Limits broken: "), violations.map((v) => v.message).join("; "))
      : el("div", { class: "msg ok" }, "Every leg passes every limit the planner checks."),
    warnings.length ? el("div", { class: "msg warn" }, warnings.map((w) => (typeof w === "string" ? w : w.message || JSON.stringify(w))).join("; ")) : "",
    el("h2", { style: "margin-top:1rem" }, "Legs"),
    el("div", { class: "table-wrap" }, el("table", { id: "legs-table" },
      el("thead", {}, el("tr", {}, ["#", "From → To", "ETD (UTC · local)", "ETA (UTC · local)", "Distance", "Flight", "Cargo", "Pallets", "Pax", "Trip fuel", "Uplift", "Take-off weight", "Binding limit", "Margin"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, legs.map((l) => el("tr", { class: l.feasible === false ? "bad" : "" },
        el("td", { class: "num" }, String(l.number ?? l.index + 1)),
        el("td", { class: "nowrap" }, el("strong", {}, `${l.origin} → ${l.destination}`), l.feasible === false ? el("div", { class: "badge bad" }, "limit broken") : "",
          onBoard(m, l).some((x) => x.hazardous) ? el("div", { class: "badge bad", title: "dangerous goods on board" }, "dangerous goods") : ""),
        timeCell(l.etd_utc, l.etd_local),
        timeCell(l.eta_utc, l.eta_local),
        qtyCell(l.dist_nm, "NM", 1),
        qtyCell(l.flight_time_min, "min"),
        qtyCell(l.cargo_kg, "kg"),
        qtyCell(l.pallets, "pal"),
        qtyCell(l.pax, "pax"),
        qtyCell(l.trip_fuel_kg, "kg"),
        qtyCell(l.uplift_kg, "kg"),
        qtyCell(l.tow_kg, "kg"),
        el("td", {}, l.binding_limit || "–"),
        qtyCell(l.margin, l.margin_unit || "", 1),
      ))))),
    el("h2", { style: "margin-top:1rem" }, `Lifts on board (${(m.lifts || []).length})`),
    (m.lifts || []).length ? el("div", { class: "table-wrap" }, el("table", { id: "lifts-table", style: "width:auto; min-width:60%" },
      el("thead", {}, el("tr", {}, ["Lift", "Request", "From → To", "Description", "Dangerous goods", "Cargo", "Pallets", "Pax", "Legs"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, m.lifts.map((l) => el("tr", {},
        el("td", {}, l.lift_id), el("td", {}, l.request_id), el("td", {}, `${l.origin} → ${l.destination}`),
        el("td", { class: "small" }, l.description ?? "not recorded in this run"),
        el("td", { class: "nowrap" }, hazardText(l)),
        qtyCell(l.cargo_kg, "kg"), qtyCell(l.pallets, "pal"), qtyCell(l.pax, "pax"),
        el("td", { class: "nowrap" }, `${l.pickup_leg_number} to ${l.delivery_leg_number}`)))))) : el("p", { class: "muted" }, "Positioning only: nothing on board."),
    duty.start_utc ? el("p", { class: "small muted" }, `Crew duty ${utc(duty.start_utc)} to ${utc(duty.end_utc)}: ${minutesText(duty.minutes)}, limit ${minutesText(duty.limit_min)}, margin ${minutesText(duty.margin_min)}. Figures are planning estimates.`) : "",
  );
}

(async () => {
  try {
    const doc = await runResult(runId);
    const m = doc.missions[n - 1];
    if (!m) {
      say(msg, `Run ${runId} has ${doc.missions.length} missions: no mission ${n}.`, "bad");
      return;
    }
    render(doc, m);
    rememberRun(runId, { inUrl: false }); // the other pages follow the run shown here
  } catch (err) {
    say(msg, `Mission not loaded: ${err.message}`, "bad");
  } finally {
    document.body.dataset.ready = "true";
  }
})();
