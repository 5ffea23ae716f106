// Shared by the dashboard (app.js) and the event page (event.js): DOM building, API calls, the
// colours of event types, and the offline basemap. Every string from the API is inserted as text
// (textContent), never as HTML.
"use strict";

window.sitrep = (function () {
  // One colour per PLOVER type, grouped by quad class: cooperation in blues/greens, verbal
  // conflict in yellows/oranges, material conflict in reds/purples.
  const TYPE_COLOURS = {
    AGREE: "#1f78b4", CONSULT: "#6baed6", SUPPORT: "#08519c", CONCEDE: "#9ecae1",
    COOPERATE: "#33a02c", AID: "#74c476", RETREAT: "#b2df8a",
    REQUEST: "#fdbf6f", ACCUSE: "#ff7f00", REJECT: "#d9a000", THREATEN: "#e6550d",
    PROTEST: "#fb9a99", SANCTION: "#8c6bb1", MOBILIZE: "#6a3d9a", COERCE: "#e7298a",
    ASSAULT: "#e31a1c",
  };
  const FALLBACK_COLOUR = "#555555";
  const FIGURE_KINDS = ["killed", "injured", "displaced", "besieged", "trapped", "detained", "strikes"];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function fetchJson(url, options) {
    const response = await fetch(url, { headers: { Accept: "application/json" }, ...(options || {}) });
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      body = null;
    }
    if (!response.ok) {
      const detail = body && body.detail ? body.detail : `${response.status} ${response.statusText}`;
      if (response.status === 401 && window.sitrepLogin) window.sitrepLogin.show(detail); // login.js
      throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
    }
    return body;
  }

  function colourOf(type) {
    return TYPE_COLOURS[type] || FALLBACK_COLOUR;
  }

  function swatch(type) {
    return el("span", { class: "swatch", style: `background:${colourOf(type)}`, "aria-hidden": "true" });
  }

  function dateText(record) {
    if (!record.date) return "";
    return record.date_end && record.date_end !== record.date ? `${record.date} – ${record.date_end}` : record.date;
  }

  function placeText(record) {
    const loc = record.location;
    if (!loc) return "";
    const name = loc.name || loc.text || "";
    const parts = [name];
    if (loc.admin1 && loc.admin1 !== name) parts.push(loc.admin1);
    if (loc.country) parts.push(loc.country);
    return parts.filter(Boolean).join(", ");
  }

  function partyNames(list) {
    return (list || []).map((a) => a.name || a.text || a.id).filter(Boolean).join("; ");
  }

  function actorsText(record) {
    const actors = partyNames(record.actors);
    const recipients = partyNames(record.recipients);
    if (actors && recipients) return `${actors} → ${recipients}`;
    return actors || (recipients ? `→ ${recipients}` : "");
  }

  // "12", "12–15", "at least 40", "up to 200": a figure as a reader says it.
  function figureText(f) {
    if (!f) return "";
    const { low, best, high } = f;
    if (low !== null && high !== null && low !== undefined && high !== undefined && low !== high) return `${low}–${high}`;
    if ((high === null || high === undefined) && low !== null && low !== undefined) return `at least ${low}`;
    if ((low === null || low === undefined) && high !== null && high !== undefined) return `up to ${high}`;
    return best === null || best === undefined ? "" : String(best);
  }

  // Killed plus injured (best estimates): what the marker size says.
  function casualties(record) {
    const figures = record.figures || {};
    let n = 0;
    for (const kind of ["killed", "injured"]) {
      const f = figures[kind];
      if (f && typeof f.best === "number") n += f.best;
    }
    return n;
  }

  // The offline basemap: Natural Earth countries (world-atlas) and, when built, admin-1 borders.
  async function drawBasemap(map, { tileUrl, admin1Url, interactive } = {}) {
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 18, attribution: "Tiles: see SITREP_TILE_URL provider" }).addTo(map);
    }
    map.createPane("basemap").style.zIndex = 250; // below the overlay pane (400) that holds markers
    const topo = await fetchJson("/vendor/world-atlas/countries-50m.json");
    const countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, {
      pane: "basemap",
      interactive: false,
      attribution: "Borders: Natural Earth",
      style: {
        className: "sitrep-country",
        color: "#8d8a80",
        weight: 0.8,
        fillColor: "#f2efe6",
        fillOpacity: tileUrl ? 0 : 1,
      },
    }).addTo(map);
    if (admin1Url) {
      try {
        const admin = await fetchJson(admin1Url);
        // Interior borders only (shared by two provinces): country outlines come from the layer above.
        const mesh = topojson.mesh(admin, admin.objects.admin1, (a, b) => a !== b);
        const layer = L.geoJSON(mesh, {
          pane: "basemap",
          interactive: false,
          style: { className: "sitrep-admin1", color: "#a9a59a", weight: 0.6, dashArray: "3 3", fill: false },
        });
        const minZoom = 4;
        const sync = () => {
          if (map.getZoom() >= minZoom && !map.hasLayer(layer)) layer.addTo(map);
          if (map.getZoom() < minZoom && map.hasLayer(layer)) map.removeLayer(layer);
        };
        map.on("zoomend", sync);
        sync();
        document.body.dataset.admin1 = "ready";
      } catch (err) {
        document.body.dataset.admin1 = "failed";
      }
    }
    document.body.dataset.basemap = "drawn";
    return interactive;
  }

  return {
    TYPE_COLOURS, FIGURE_KINDS, el, fetchJson, colourOf, swatch, dateText, placeText, partyNames,
    actorsText, figureText, casualties, drawBasemap,
  };
})();
