// The day board's Sightings section: the sightings of the board's UTC day, each with the
// server's match against the run's plan (GET /api/sightings?run=&day=: tracking/sightings.py
// says confirmed, or unplanned presence with the candidate tails and where the plan has
// them); and for planners a form (POST /api/sightings, or /api/sightings/photo with a photo
// whose EXIF time and GPS are read) with each refused field's error beside its box.
import { api, clear, el, num, say, utc } from "./app.js";
import { canEdit, clearErrors, fieldBoxes, readFields, showError } from "./forms.js";

const FIELDS = [
  { name: "tail", label: "Tail (registration)", kind: "text", hint: "or leave empty and give the type" },
  { name: "aircraft_type", label: "Aircraft type", kind: "text", hint: "C-130H" },
  { name: "airfield", label: "Airfield (ICAO, IATA or name)", kind: "text", hint: "not needed when the photo has GPS" },
  { name: "at_utc", label: "Seen at (UTC)", kind: "utc", hint: "with a photo: empty takes the photo's time" },
  {
    name: "source", label: "Source", kind: "select",
    options: [["observer", "observer"], ["photo", "photo"], ["press", "press"], ["social media", "social media"]],
  },
  {
    name: "confidence", label: "Confidence", kind: "select",
    options: [["high", "high: registration read"], ["medium", "medium: type recognised"], ["low", "low: heard of it"]],
  },
  { name: "tz", label: "Camera time zone", kind: "text", hint: "only if the photo has no EXIF offset: UTC, +01:00, Africa/Bamako" },
  { name: "note", label: "Note", kind: "textarea" },
];

const section = document.getElementById("sightings");
const listBox = document.getElementById("sightings-list");
const formBox = document.getElementById("sightings-form-box");
let current = { run: null, day: null };

function where(s) {
  if (s.airfield) return s.airfield;
  return `${num(s.lat, 4)}°, ${num(s.lon, 4)}°`;
}

function matchCell(s) {
  const m = s.match;
  if (!m) return el("td", {}, "no plan to match");
  const slug = m.outcome.replace(/\s+/g, "-");
  const items = m.outcome === "confirmed" ? m.confirming : m.candidates;
  const label = m.outcome === "confirmed" ? "Planned there:" : "Candidates:";
  return el("td", { class: "match", "data-label": "Match" },
    el("span", { class: `badge sight-${slug}` }, m.outcome),
    items.length
      ? el("div", { class: "small" }, el("span", { class: "muted" }, label),
        el("ul", { class: "candidates" }, items.map((c) => el("li", {}, c.summary))))
      : el("div", { class: "small muted" }, "no tail of that type or nation planned within 12 h"));
}

function render(list) {
  if (!list.length) {
    clear(listBox, el("p", { class: "small muted" }, "No sightings reported on this day."));
    return;
  }
  clear(listBox, el("div", { class: "table-wrap" }, el("table", { id: "sightings-table" },
    el("thead", {}, el("tr", {}, ["Seen (UTC)", "Aircraft", "Where", "Source", "Match"].map((c) => el("th", { scope: "col" }, c)))),
    el("tbody", {}, list.map((s) => el("tr", { "data-sighting": s.id, "data-outcome": s.match ? s.match.outcome : "" },
      el("td", { class: "nowrap" }, utc(s.at_utc)),
      el("th", { scope: "row" }, s.tail || s.aircraft_type, s.tail && s.aircraft_type ? el("div", { class: "small muted" }, s.aircraft_type) : ""),
      el("td", {}, where(s)),
      el("td", { class: "small" }, `${s.source} · ${s.confidence} confidence`, s.note ? el("div", { class: "muted" }, s.note) : ""),
      matchCell(s)))))));
}

export async function loadSightings(run, day) {
  current = { run, day };
  section.hidden = false;
  try {
    render(await api(`/api/sightings?${new URLSearchParams({ run, day })}`));
  } catch (err) {
    clear(listBox, el("p", { class: "msg bad" }, `Sightings not loaded: ${err.message}`));
  }
}

function buildForm() {
  const form = el("form", { id: "sighting-form", novalidate: true });
  const general = el("div", { class: "msg", role: "status", id: "sighting-msg" });
  const photoId = "sighting-form-photo";
  form.append(
    fieldBoxes(form, FIELDS, { source: "observer", confidence: "medium" }),
    el("div", { class: "field wide", "data-field": "photo" },
      el("label", { for: photoId }, "Photo (optional: its time and GPS are read, the image is not kept)"),
      el("input", { type: "file", id: photoId, accept: "image/jpeg,image/tiff,image/*", "aria-describedby": `${photoId}-err` }),
      el("p", { class: "field-error", id: `${photoId}-err` })),
    general,
    el("button", { type: "submit" }, "Store sighting"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const values = readFields(form, FIELDS);
    const file = form.querySelector(`#${photoId}`).files[0];
    try {
      if (file) {
        const data = new FormData();
        data.append("photo", file);
        for (const [k, v] of Object.entries(values)) if (v && k !== "source") data.append(k, v);
        data.append("run_id", current.run);
        await api("/api/sightings/photo", { method: "POST", form: data });
      } else {
        const { tz, ...rest } = values;
        await api("/api/sightings", { method: "POST", json: { ...rest, run_id: Number(current.run) } });
      }
    } catch (err) {
      const first = showError(form, err, general);
      if (first) first.focus();
      return;
    }
    form.reset();
    say(general, "Sighting stored: its match is in the list above.", "ok");
    await loadSightings(current.run, current.day);
  });
  return form;
}

if (section && canEdit()) {
  clear(formBox, el("h3", {}, "Report a sighting"), buildForm());
}
