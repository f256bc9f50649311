// Edit forms of the requests and fleet pages: a form built from a table of fields, read back
// as the API's JSON, in a modal dialog that stays open with what the user typed until the
// server stores it. The server validates: a 422 is shown beside the field it names, a stale
// version's 409 as "changed by X at T: reload".
import { ApiError, clear, el, utc } from "./app.js";

/**
 * A field of a form.
 * @typedef {object} Field
 * @property {string} name     the API's JSON key
 * @property {string} label    with its unit: "Cargo (kg)"
 * @property {"text"|"number"|"utc"|"bool"|"tristate"|"select"|"list"|"textarea"|"windows"} kind
 * @property {string} [hint]   one line under the box
 * @property {boolean} [readonly]
 * @property {Array<[string, string]>} [options]  select: [value, label]; tristate: labels of null/true/false
 * @property {boolean} [wide]  spans the form's width
 */

export const canEdit = () => ["planner", "admin"].includes(document.body.dataset.role);

const pad = (n) => String(n).padStart(2, "0");

/** ISO instant -> the value of a datetime-local box read as UTC ("2023-10-27T06:00"). */
export function utcBoxValue(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return "";
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** A datetime-local box's value as an ISO instant in UTC; null when empty. */
export function utcFromBox(value) {
  if (!value) return null;
  return /T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : `${value}Z`;
}

/** A number as typed: a number when it is one, else the text (the server names the field). */
function numberFrom(text) {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t.replace(/,/g, ""));
  return Number.isFinite(n) ? n : t;
}

const boxId = (form, name) => `${form.id}-${name}`;

function utcBox(id, label, value) {
  return el("input", { type: "datetime-local", id, step: 60, value: utcBoxValue(value), "aria-label": label });
}

function windowRow(n, pair) {
  const row = el("div", { class: "window-row", "data-window": "" },
    el("span", { class: "small muted" }, "from"),
    utcBox(undefined, `Window ${n} from (UTC)`, pair[0]),
    el("span", { class: "small muted" }, "until"),
    utcBox(undefined, `Window ${n} until (UTC)`, pair[1]),
    el("button", { type: "button", class: "small", onclick: () => row.remove() }, `Remove window ${n}`));
  return row;
}

function control(form, field, value) {
  const id = boxId(form, field.name);
  const common = { id, name: field.name, "aria-describedby": `${id}-err${field.hint ? ` ${id}-hint` : ""}`, readonly: field.readonly };
  switch (field.kind) {
    case "bool":
      return el("input", { ...common, type: "checkbox", checked: Boolean(value) });
    case "tristate": {
      const [none, yes, no] = field.options;
      const now = value === true ? "true" : value === false ? "false" : "";
      return el("select", common, [["", none], ["true", yes], ["false", no]].map(([v, t]) => el("option", { value: v, selected: v === now }, t)));
    }
    case "select":
      return el("select", common, field.options.map(([v, t]) => el("option", { value: v, selected: String(value) === v }, t)));
    case "textarea":
      return el("textarea", { ...common, rows: 3 }, value ?? "");
    case "utc":
      return el("input", { ...common, type: "datetime-local", step: 60, value: utcBoxValue(value) });
    case "list":
      return el("input", { ...common, type: "text", value: (value || []).join(", "), autocomplete: "off" });
    case "number":
      return el("input", { ...common, type: "text", inputmode: "decimal", value: value ?? "", autocomplete: "off" });
    case "windows": {
      const list = el("div", { class: "windows", id, role: "group", "aria-labelledby": `${id}-label`, "aria-describedby": common["aria-describedby"] });
      (value || []).forEach((pair, i) => list.append(windowRow(i + 1, pair)));
      return el("div", {}, list, el("button", {
        type: "button", class: "small", onclick: () => list.append(windowRow(list.children.length + 1, ["", ""])),
      }, "Add a window"));
    }
    default:
      return el("input", { ...common, type: "text", value: value ?? "", autocomplete: "off" });
  }
}

/** The boxes of ``fields`` filled with ``values``, each with its error line. */
export function fieldBoxes(form, fields, values) {
  return el("div", { class: "form-grid" }, fields.map((f) => {
    const id = boxId(form, f.name);
    const box = control(form, f, values[f.name]);
    const error = el("p", { class: "field-error", id: `${id}-err` });
    const hint = f.hint ? el("p", { class: "small muted hint", id: `${id}-hint` }, f.hint) : "";
    if (f.kind === "bool") {
      return el("div", { class: `field check-field${f.wide ? " wide" : ""}`, "data-field": f.name },
        el("label", { class: "check", for: id }, box, f.label), hint, error);
    }
    const label = f.kind === "windows"
      ? el("span", { class: "label", id: `${id}-label` }, f.label)
      : el("label", { for: id }, f.label);
    return el("div", { class: `field${f.wide || f.kind === "windows" || f.kind === "textarea" ? " wide" : ""}`, "data-field": f.name },
      label, box, hint, error);
  }));
}

/** The form's values as the API's JSON (only the fields of the table). */
export function readFields(form, fields) {
  const out = {};
  for (const f of fields) {
    const box = form.querySelector(`#${CSS.escape(boxId(form, f.name))}`);
    if (!box) continue;
    switch (f.kind) {
      case "bool": out[f.name] = box.checked; break;
      case "tristate": out[f.name] = box.value === "" ? null : box.value === "true"; break;
      case "select": out[f.name] = f.numeric ? numberFrom(box.value) : box.value; break;
      case "utc": out[f.name] = utcFromBox(box.value); break;
      case "number": out[f.name] = numberFrom(box.value); break;
      case "list": out[f.name] = box.value.split(/[\s,;]+/).filter(Boolean); break;
      case "windows":
        out[f.name] = [...box.querySelectorAll("[data-window]")].map((row) =>
          [...row.querySelectorAll("input")].map((i) => utcFromBox(i.value)));
        break;
      default: out[f.name] = box.value.trim();
    }
    if (out[f.name] === null && f.kind === "number" && f.emptyOmits) delete out[f.name];
  }
  return out;
}

// ---------------------------------------------------------------- errors

/** "unavailable[2][0]" -> {name: "unavailable", index: 2}; "overrides.GATS.mog" -> mog via ``rename``. */
function errorTarget(path, rename) {
  const named = rename ? rename(path) : path;
  const m = /^([^.[\]]+)(?:\[(\d+)\])?/.exec(named || "");
  return m ? { name: m[1], index: m[2] === undefined ? null : Number(m[2]) } : null;
}

export function clearErrors(form) {
  for (const p of form.querySelectorAll(".field-error")) p.textContent = "";
  for (const box of form.querySelectorAll("[aria-invalid]")) box.removeAttribute("aria-invalid");
}

/** "changed by bob at 27 Oct 10:12Z" from a 409 body, or null when it names nobody. */
export function changedBy(err) {
  const b = (err && err.body) || {};
  return b.changed_by ? `changed by ${b.changed_by} at ${utc(b.changed_at)}` : null;
}

/**
 * Show an API error in ``form``: a 422 beside each field it names (the general box for the
 * others), a 409 in the general box. Returns the first box marked invalid.
 */
export function showError(form, err, general, rename) {
  clearErrors(form);
  if (!(err instanceof ApiError)) {
    clear(general, `Not saved: ${err.message}`);
    return null;
  }
  const body = err.body || {};
  if (err.status === 409) {
    const who = changedBy(err);
    clear(general, who ? `Not saved: ${who}: reload.` : `Not saved: ${body.detail || err.message}`);
    return null;
  }
  const problems = err.status === 422 && Array.isArray(body.fields) && body.fields.length
    ? body.fields.map((p) => [p.field, p.field ? `${p.message}` : p.message])
    : [[body.field, err.message]];
  const unplaced = [];
  let first = null;
  for (const [path, message] of problems) {
    const target = path ? errorTarget(path, rename) : null;
    const wrap = target && form.querySelector(`[data-field="${CSS.escape(target.name)}"]`);
    if (!wrap) {
      unplaced.push(path ? `${path}: ${message}` : message);
      continue;
    }
    const line = wrap.querySelector(".field-error");
    line.textContent = line.textContent ? `${line.textContent} ${message}` : message;
    const rows = wrap.querySelectorAll("[data-window]");
    const boxes = target.index !== null && rows[target.index]
      ? rows[target.index].querySelectorAll("input")
      : wrap.querySelectorAll("input, select, textarea");
    for (const box of boxes) box.setAttribute("aria-invalid", "true");
    first = first || boxes[0];
  }
  clear(general, unplaced.length ? `Not saved: ${unplaced.join("; ")}` : "Not saved: correct the fields marked below.");
  return first;
}

// ---------------------------------------------------------------- the dialog

/**
 * A modal form. ``save(values)`` sends them; its ApiError keeps the dialog open with what
 * was typed and the errors shown. ``reload()`` (optional) gives fresh values after a 409.
 * @returns {Promise<boolean>} true once saved, false when cancelled
 */
export function editDialog({ id, title, intro, fields, values, save, reload, rename, saveLabel = "Save" }) {
  const form = el("form", { id, method: "dialog", novalidate: true, class: "edit-form" });
  const general = el("div", { class: "msg bad form-msg", role: "alert", tabindex: -1 });
  let current = values;
  const body = el("div", {});
  const fill = (v) => clear(body, fieldBoxes(form, fields, v));
  const reloadButton = reload ? el("button", { type: "button", hidden: true, onclick: async () => {
    current = await reload();
    fill(current);
    clear(general);
    reloadButton.hidden = true;
  } }, "Reload (drops your changes)") : null;
  const dialog = el("dialog", { class: "edit-dialog", "aria-labelledby": `${id}-title` },
    el("h2", { id: `${id}-title` }, title),
    intro ? el("p", { class: "small muted" }, intro) : "",
    form);
  form.append(general, body, el("div", { class: "dialog-buttons" },
    el("button", { type: "submit", class: "primary" }, saveLabel),
    reloadButton,
    el("button", { type: "button", onclick: () => dialog.close("cancel") }, "Cancel")));
  fill(current);
  document.body.append(dialog);

  return new Promise((resolve) => {
    let saved = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const submit = form.querySelector("button[type=submit]");
      submit.disabled = true;
      clear(general, "Saving…");
      general.className = "msg info form-msg";
      try {
        await save(readFields(form, fields), current);
        saved = true;
        dialog.close("saved");
      } catch (err) {
        general.className = "msg bad form-msg";
        const first = showError(form, err, general, rename);
        if (reloadButton) reloadButton.hidden = !(err instanceof ApiError && err.status === 409);
        (first || general).focus?.();
      } finally {
        submit.disabled = false;
      }
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(saved);
    });
    dialog.showModal();
    const firstBox = form.querySelector("input:not([readonly]), select, textarea");
    if (firstBox) firstBox.focus();
  });
}
