// The stored airspace zones (GET /api/zones.geojson) on a Leaflet map: translucent red
// polygons (restricted ones dashed and paler) in a "zones" pane under the routes, each with
// its kind, band, window and stand-off in a tooltip. Used by the map and plan pages.
import { api, qty, utc } from "./app.js";

const L = window.L;
const ZONE_RED = "#c81e1e";

function zoneText(p) {
  const band = p.lower_ft == null && p.upper_ft == null
    ? "all levels"
    : `${p.lower_ft == null ? "surface" : qty(p.lower_ft, "ft")} to ${p.upper_ft == null ? "unlimited" : qty(p.upper_ft, "ft")}`;
  const when = !p.from_utc && !p.until_utc ? "always" : `${p.from_utc ? utc(p.from_utc) : "…"} to ${p.until_utc ? utc(p.until_utc) : "…"}`;
  const lines = [`${p.name} (${p.kind})`, `band ${band}`, `active ${when}`];
  if (p.standoff_m) lines.push(`stand-off ${qty(p.standoff_m / 1852, "NM", 1)}`);
  if (p.note) lines.push(p.note);
  return lines;
}

/** Draw the stored zones on ``map``; a note saying how many (or why none). */
export async function addZones(map) {
  let doc;
  try {
    doc = await api("/api/zones.geojson");
  } catch (err) {
    return `Zones not loaded: ${err.message}`;
  }
  if (!map.getPane("zones")) map.createPane("zones").style.zIndex = 400;
  L.geoJSON(doc, {
    pane: "zones",
    renderer: L.svg({ pane: "zones" }),
    style: (f) => ({
      color: ZONE_RED, weight: 1.5, fillColor: ZONE_RED,
      fillOpacity: f.properties.kind === "restricted" ? 0.12 : 0.25,
      dashArray: f.properties.kind === "restricted" ? "5 4" : null, className: "zone-area",
    }),
    onEachFeature: (f, layer) => {
      layer.bindTooltip(zoneText(f.properties).join(" · "), { sticky: true });
      layer.on("add", () => {
        const node = layer.getElement();
        if (node) node.dataset.zone = f.properties.name;
      });
    },
  }).addTo(map);
  const n = doc.features.length;
  return n ? `${n} airspace zone${n === 1 ? "" : "s"} stored (Airspace page).` : "No airspace zones stored.";
}
