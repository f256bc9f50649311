// The offline base map every map page draws: Natural Earth land, borders and country names
// from world-atlas (served from node_modules under /vendor), or a tile server the settings
// name. Needs Leaflet (window.L) and topojson-client (window.topojson) loaded first.

const L = window.L;

/** Draw the base map on a Leaflet ``map`` with a pane named "base"; a note saying what was
 * drawn (or why nothing was). */
export async function addBaseMap(map, tileUrl) {
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18, attribution: "Base map: configured tile server" }).addTo(map);
    return "Base map: tile server from the settings (AIRLIFT_TILE_URL).";
  }
  try {
    const topo = await (await fetch("/vendor/world-atlas/countries-50m.json")).json();
    const renderer = L.svg({ pane: "base" });
    const land = window.topojson.feature(topo, topo.objects.land);
    L.geoJSON(land, {
      pane: "base", renderer, interactive: false,
      style: { stroke: false, fillColor: "#f2efe6", fillOpacity: 1 },
    }).addTo(map);
    const borders = window.topojson.mesh(topo, topo.objects.countries, (a, b) => a !== b);
    L.geoJSON(borders, {
      pane: "base", renderer, interactive: false,
      style: { color: "#8f8672", weight: 1, opacity: 0.9, dashArray: "4 3" },
    }).addTo(map);
    countryLabels(map, window.topojson.feature(topo, topo.objects.countries));
    map.attributionControl.addAttribution("Borders: Natural Earth (world-atlas), offline");
    return "Base map: Natural Earth 1:50m land and borders, drawn offline.";
  } catch (err) {
    return `No base map (${err.message}).`;
  }
}

/** Country names at the centre of each country's largest polygon, shown from zoom 4. */
function countryLabels(map, countries) {
  const group = L.layerGroup();
  for (const f of countries.features) {
    const name = f.properties && f.properties.name;
    if (!name || !f.geometry) continue;
    const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    let best = null;
    let bestArea = 0;
    for (const poly of polys) {
      const ring = poly[0];
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const [x, y] of ring) {
        minX = Math.min(minX, x); maxX = Math.max(maxX, x);
        minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      }
      const area = (maxX - minX) * (maxY - minY);
      if (area > bestArea) { bestArea = area; best = [(minY + maxY) / 2, (minX + maxX) / 2]; }
    }
    if (!best || bestArea < 4) continue;
    group.addLayer(L.marker(best, {
      pane: "base", interactive: false, keyboard: false,
      icon: L.divIcon({ className: "country-label", html: "", iconSize: [160, 14], iconAnchor: [80, 7] }),
    }).on("add", (e) => { e.target.getElement().textContent = name.toUpperCase(); }));
  }
  const toggle = () => (map.getZoom() >= 4 ? group.addTo(map) : group.remove());
  map.on("zoomend", toggle);
  toggle();
}
