// CSV import panel shared by the requests and fleet pages: upload, show the row errors the
// API found (row, field, reason) and offer to store only the good rows.
import { ApiError, api, clear, el, say } from "./app.js";

/**
 * @param {HTMLElement} root container with a form[data-import] inside
 * @param {string} url  POST endpoint, e.g. /api/requests/import
 * @param {() => void} onDone called after rows were stored
 */
export function importPanel(root, url, onDone) {
  const form = root.querySelector("form");
  const file = form.querySelector("input[type=file]");
  const goodOnly = form.querySelector("input[name=good_rows_only]");
  const status = root.querySelector("[data-status]");
  const errors = root.querySelector("[data-errors]");

  async function send(onlyGood) {
    if (!file.files.length) {
      say(status, "Choose a CSV file first.", "warn");
      file.focus();
      return;
    }
    const body = new FormData();
    body.append("file", file.files[0]);
    say(status, `Importing ${file.files[0].name}…`, "info");
    clear(errors);
    try {
      const report = await api(`${url}${onlyGood ? "?good_rows_only=true" : ""}`, { method: "POST", form: body });
      const skipped = (report.errors || []).length;
      const same = !report.created && !report.updated ? " (the other rows were already stored as they are)" : "";
      say(status, `Imported ${file.files[0].name}: ${report.created ?? 0} created, ${report.updated ?? 0} updated${skipped ? `, ${skipped} bad rows skipped` : ""}${same}.`, skipped ? "warn" : "ok");
      if (skipped) errors.append(errorTable(report.errors, "Rows skipped"));
      onDone();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const rows = (err.body && err.body.errors) || [];
      say(status, err.status === 422 ? `Nothing stored: ${err.message}` : `Import failed (HTTP ${err.status}): ${err.message}`, "bad");
      if (rows.length) {
        errors.append(errorTable(rows, `${rows.length} row errors in ${file.files[0].name}`));
        errors.append(el("div", { class: "row" },
          el("button", { type: "button", class: "primary", onclick: () => send(true) }, "Import the good rows only"),
          el("span", { class: "small muted" }, "Stores every row without an error; fix the others and import them again.")));
      }
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(goodOnly && goodOnly.checked);
  });
}

function errorTable(rows, caption) {
  return el("div", { class: "table-wrap", style: "max-height: 260px; margin: .5rem 0" }, el("table", { class: "row-errors" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", class: "num" }, "Row"), el("th", { scope: "col" }, "Field"), el("th", { scope: "col" }, "Reason"))),
    el("tbody", {}, rows.map((e) => el("tr", {},
      el("td", { class: "num" }, String(e.row)), el("td", {}, el("code", {}, e.field || "–")), el("td", {}, e.reason || e.message || ""))))));
}
