// sitrep dashboard: an offline map (Natural Earth countries, no tiles by default) and a table of
// events, both redrawn from /api/events whenever the filters change.
// Every string from the API is inserted as text (textContent), never as HTML.
"use strict";

(function () {
  const PAGE_SIZE = 500;

  // One colour per PLOVER type, grouped by quad class: cooperation in blues/greens,
  // verbal conflict in yellows/oranges, material conflict in reds/purples.
  const TYPE_COLOURS = {
    AGREE: "#1f78b4", CONSULT: "#6baed6", SUPPORT: "#08519c", CONCEDE: "#9ecae1",
    COOPERATE: "#33a02c", AID: "#74c476", RETREAT: "#b2df8a",
    REQUEST: "#fdbf6f", ACCUSE: "#ff7f00", REJECT: "#d9a000", THREATEN: "#e6550d",
    PROTEST: "#fb9a99", SANCTION: "#8c6bb1", MOBILIZE: "#6a3d9a", COERCE: "#e7298a",
    ASSAULT: "#e31a1c",
  };
  const FALLBACK_COLOUR = "#555555";

  const state = { offset: 0, total: 0, markers: new Map(), rows: new Map(), selected: null };

  const $ = (id) => document.getElementById(id);
  const form = $("filters");
  const statusLine = $("status");
  const errorLine = $("error");
  const tbody = document.querySelector("#events tbody");

  const map = L.map("map", { worldCopyJump: true, minZoom: 1, zoomSnap: 0.5 }).setView([25, 20], 2);
  map.createPane("basemap").style.zIndex = 250; // below the overlay pane (400) that holds markers
  const markerLayer = L.featureGroup().addTo(map);
  const legend = L.control({ position: "bottomright" });
  legend.onAdd = () => {
    const div = L.DomUtil.create("div", "legend");
    div.setAttribute("aria-label", "Legend: event types");
    return div;
  };
  legend.addTo(map);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function fetchJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      body = null;
    }
    if (!response.ok) {
      const detail = body && body.detail ? body.detail : `${response.status} ${response.statusText}`;
      throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
    }
    return body;
  }

  function showError(message) {
    errorLine.textContent = message;
    errorLine.hidden = !message;
  }

  function colourOf(type) {
    return TYPE_COLOURS[type] || FALLBACK_COLOUR;
  }

  function pointOf(record) {
    const loc = record.location;
    if (!loc || typeof loc.lat !== "number" || typeof loc.lon !== "number") return null;
    return [loc.lat, loc.lon];
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

  function evidenceText(record) {
    return (record.evidence && record.evidence.text) || "";
  }

  function popupContent(record) {
    const dl = el("dl", { class: "popup-fields" });
    const add = (term, value) => {
      if (!value) return;
      dl.append(el("dt", { text: term }), el("dd", { text: value }));
    };
    add("Date", dateText(record));
    add("Place", placeText(record));
    add("Actors", partyNames(record.actors));
    add("Targets", partyNames(record.recipients));
    add("Status", record.status);
    return el(
      "div", { class: "popup", "data-event-id": record.id },
      el("h3", {},
        el("span", { class: "swatch", style: `background:${colourOf(record.event_type)}` }),
        record.event_type + (record.mode ? ` (${record.mode})` : "")),
      dl,
      el("blockquote", { class: "evidence", text: evidenceText(record) }),
      record.source && record.source.title ? el("p", { class: "source", text: `Source: ${record.source.title}` }) : null,
    );
  }

  function drawMarkers(records) {
    markerLayer.clearLayers();
    state.markers.clear();
    for (const record of records) {
      const point = pointOf(record);
      if (!point) continue;
      const marker = L.circleMarker(point, {
        radius: 7,
        className: `sitrep-marker type-${record.event_type}`,
        color: "#1b1b1b",
        weight: 1,
        fillColor: colourOf(record.event_type),
        fillOpacity: 0.85,
      });
      marker.bindPopup(() => popupContent(record), { maxWidth: 340 });
      marker.bindTooltip(`${record.event_type} · ${record.date || "no date"}`);
      marker.on("click", () => selectRow(record.id, true));
      marker.addTo(markerLayer);
      state.markers.set(record.id, marker);
    }
  }

  function drawLegend(records) {
    const counts = new Map();
    // Counts what the map shows: events without a point are in the table only.
    for (const record of records) {
      if (state.markers.has(record.id)) counts.set(record.event_type, (counts.get(record.event_type) || 0) + 1);
    }
    const div = legend.getContainer();
    div.replaceChildren(el("h2", { text: "Event types" }));
    if (!counts.size) {
      div.append(el("p", { text: "No events on the map" }));
      return;
    }
    const list = el("ul");
    for (const type of Object.keys(TYPE_COLOURS).filter((t) => counts.has(t)).concat(
      [...counts.keys()].filter((t) => !(t in TYPE_COLOURS)))) {
      list.append(el("li", {},
        el("span", { class: "swatch", style: `background:${colourOf(type)}`, "aria-hidden": "true" }),
        `${type} (${counts.get(type)})`));
    }
    div.append(list);
  }

  function drawTable(records) {
    state.rows.clear();
    const rows = records.map((record) => {
      const hasPoint = state.markers.has(record.id);
      const dateCell = hasPoint
        ? el("button", { type: "button", class: "focus", title: "Show on the map", text: dateText(record) || "—" })
        : el("span", { title: "No point on the map", text: dateText(record) || "—" });
      const row = el("tr", { "data-event-id": record.id, class: hasPoint ? "has-point" : "no-point" },
        el("td", {}, dateCell),
        el("td", { class: "type" }, el("span", { class: "swatch", style: `background:${colourOf(record.event_type)}`, "aria-hidden": "true" }),
          record.event_type),
        el("td", { text: record.status }),
        el("td", { text: placeText(record) }),
        el("td", { text: actorsText(record) }),
        el("td", { class: "evidence", title: evidenceText(record) }, el("div", { text: evidenceText(record) })),
      );
      state.rows.set(record.id, row);
      return row;
    });
    tbody.replaceChildren(...rows);
    if (!rows.length) {
      tbody.append(el("tr", {}, el("td", { colspan: "6", class: "empty", text: "No events match these filters." })));
    }
  }

  function selectRow(id, scroll) {
    if (state.selected) state.selected.classList.remove("selected");
    const row = state.rows.get(id);
    state.selected = row || null;
    if (!row) return;
    row.classList.add("selected");
    if (scroll) row.scrollIntoView({ block: "nearest" });
  }

  function focusEvent(id) {
    selectRow(id, false);
    const marker = state.markers.get(id);
    if (!marker) return;
    // No animation: the popup opens where the marker already is (and motion is not forced on anyone).
    map.setView(marker.getLatLng(), Math.max(map.getZoom(), 6), { animate: false });
    marker.openPopup();
  }

  tbody.addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-event-id]");
    if (row) focusEvent(row.dataset.eventId);
  });

  function queryString() {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form).entries()) {
      const text = String(value).trim();
      if (text) params.set(key, text);
    }
    params.set("limit", String(PAGE_SIZE));
    params.set("offset", String(state.offset));
    return params.toString();
  }

  async function loadEvents(fit) {
    showError("");
    statusLine.textContent = "Loading events…";
    let page;
    try {
      page = await fetchJson(`/api/events?${queryString()}`);
    } catch (err) {
      statusLine.textContent = "Could not load events.";
      showError(err.message);
      return;
    }
    state.total = page.total;
    drawMarkers(page.events);
    drawLegend(page.events);
    drawTable(page.events);
    const shown = page.events.length;
    const first = shown ? page.offset + 1 : 0;
    const onMap = state.markers.size;
    statusLine.textContent = `${page.total} event${page.total === 1 ? "" : "s"} match; showing ${first}–${page.offset + shown}, ` +
      `${onMap} on the map` + (shown > onMap ? ` (${shown - onMap} without a precise place)` : "") + ".";
    $("page-info").textContent = shown ? `${first}–${page.offset + shown} of ${page.total}` : "";
    $("prev").disabled = page.offset <= 0;
    $("next").disabled = page.offset + shown >= page.total;
    document.body.dataset.loaded = "events";
    if (fit && onMap) map.fitBounds(markerLayer.getBounds(), { maxZoom: 6, padding: [30, 30] });
  }

  async function drawBasemap(tileUrl) {
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 18, attribution: "Tiles: see SITREP_TILE_URL provider" }).addTo(map);
    }
    const topo = await fetchJson("/vendor/world-atlas/countries-50m.json");
    const countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, {
      pane: "basemap",
      interactive: false,
      attribution: "Countries: Natural Earth",
      style: {
        className: "sitrep-country",
        color: "#8d8a80",
        weight: 0.6,
        fillColor: "#f2efe6",
        fillOpacity: tileUrl ? 0 : 1,
      },
    }).addTo(map);
    document.body.dataset.basemap = "drawn";
  }

  function fillSelect(select, values) {
    for (const value of values) select.append(el("option", { value, text: value }));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.offset = 0;
    loadEvents(true);
  });
  form.addEventListener("reset", () => {
    // The reset event fires before the fields are cleared; query once they are.
    setTimeout(() => { state.offset = 0; loadEvents(true); }, 0);
  });
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => form.requestSubmit());
  }
  $("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    loadEvents(true);
  });
  $("next").addEventListener("click", () => {
    state.offset += PAGE_SIZE;
    loadEvents(true);
  });

  async function start() {
    let config = { event_types: Object.keys(TYPE_COLOURS), statuses: [], tile_url: null };
    try {
      config = await fetchJson("/api/config");
    } catch (err) {
      showError(`Could not read /api/config: ${err.message}`);
    }
    fillSelect($("f-type"), config.event_types);
    fillSelect($("f-status"), config.statuses);
    const tileUrl = new URLSearchParams(window.location.search).get("tiles") || config.tile_url;
    await Promise.all([
      drawBasemap(tileUrl).catch((err) => showError(`Could not draw the basemap: ${err.message}`)),
      loadEvents(true),
    ]);
  }

  start();
})();
