// sitrep dashboard: a map of incidents or event mentions (clustered, coloured by type, sized by
// casualties) on an offline Natural Earth basemap, a table, and a timeline of counts whose brush
// sets the date range. The filter form is the single source of truth: the brush writes its From/To
// fields, and every view is redrawn from the API with the form's values. Its "Count" switch says
// what is shown: incidents (the default; each real-world event once, however many reports of it,
// from /api/incidents) or mentions (every report, one per article, from /api/events).
"use strict";

(function () {
  const { el, fetchJson, colourOf, swatch, dateText, placeText, actorsText, figureText, TYPE_COLOURS } = window.sitrep;
  const PAGE_SIZE = 100;     // table rows per page
  const MAP_PAGE = 1000;     // GeoJSON features per request (the API's maximum page)
  const MAP_CAP = 5000;      // most events drawn at once; the status line says when there are more

  // What each unit reads and how it is named.
  const UNITS = {
    incidents: { list: "/api/incidents", key: "incidents", one: "incident", many: "incidents", heading: "Incidents",
      page: "/incidents/" },
    mentions: { list: "/api/events", key: "events", one: "event", many: "events", heading: "Events",
      page: "/events/" },
  };

  const state = {
    unit: "incidents",
    sort: "-date",
    cursors: [null],          // cursor of each table page seen so far (null = first page)
    page: 0,
    nextCursor: null,
    markers: new Map(),       // record id (incident or event) -> marker
    rows: new Map(),          // record id -> table row
    selected: null,
    timeline: null,           // {bins, x, brush, g, interval}
    brushing: false,
    // Each view counts its requests: a response that a newer request superseded is dropped, or a
    // slow, older answer (the type filter alone, before the dates) would overwrite a newer one.
    mapRequest: 0,
    tableRequest: 0,
    timelineRequest: 0,
    loadRequest: 0,
  };

  const $ = (id) => document.getElementById(id);
  // An answer that a newer request superseded is dropped unread; its address is kept in
  // window.sitrepDropped, so a test (or a person in the console) can see that it was.
  function dropped(url) {
    (window.sitrepDropped = window.sitrepDropped || []).push(url);
  }
  const form = $("filters");
  const statusLine = $("status");
  const errorLine = $("error");
  const tbody = document.querySelector("#events tbody");
  const status = { table: "", map: "" };

  // -- map ------------------------------------------------------------------------------------

  const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 14, zoomSnap: 0.5, keyboard: true }).setView([30, 30], 3);
  const clusters = L.markerClusterGroup({
    showCoverageOnHover: false,
    // Every cluster and marker stays drawn when the view is fitted to the bulk of the data (a few
    // far-off ones outside it): at most MAP_CAP of them, and the page can count what it shows.
    removeOutsideVisibleBounds: false,
    maxClusterRadius: 30,
    spiderfyOnMaxZoom: true,
    iconCreateFunction: clusterIcon,
  }).addTo(map);
  // Panning or zooming changes how many records the view leaves out (not while a load runs).
  map.on("moveend", () => {
    if (document.body.dataset.loaded === "loading") return;
    showMapStatus();
    showStatus();
  });
  const legend = L.control({ position: "bottomright" });
  legend.onAdd = () => {
    const div = L.DomUtil.create("div", "legend");
    L.DomEvent.disableClickPropagation(div); // opening "What the map shows" does not click the map
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo(map);

  // A cluster shows its count inside a ring split by event type, so the mix is visible at a glance.
  function clusterIcon(cluster) {
    const counts = new Map();
    for (const marker of cluster.getAllChildMarkers()) {
      counts.set(marker.options.eventType, (counts.get(marker.options.eventType) || 0) + 1);
    }
    const total = cluster.getChildCount();
    const size = total < 10 ? 30 : total < 100 ? 38 : 46;
    const r = size / 2 - 3;
    const circumference = 2 * Math.PI * r;
    let offset = 0;
    let rings = "";
    const types = Object.keys(TYPE_COLOURS).filter((t) => counts.has(t))
      .concat([...counts.keys()].filter((t) => !(t in TYPE_COLOURS)));
    for (const type of types) {
      const share = counts.get(type) / total;
      rings += `<circle r="${r}" cx="${size / 2}" cy="${size / 2}" fill="none" stroke="${colourOf(type)}" ` +
        `stroke-width="6" stroke-dasharray="${share * circumference} ${circumference}" ` +
        `stroke-dashoffset="${-offset * circumference}" transform="rotate(-90 ${size / 2} ${size / 2})"/>`;
      offset += share;
    }
    const label = types.map((t) => `${t} ${counts.get(t)}`).join(", ");
    const icon = L.divIcon({
      html: `<svg width="${size}" height="${size}" aria-hidden="true"><circle r="${r}" cx="${size / 2}" ` +
        `cy="${size / 2}" fill="#fff"/>${rings}<text x="${size / 2}" y="${size / 2}" text-anchor="middle" ` +
        `dominant-baseline="central">${total}</text></svg>`,
      className: "sitrep-cluster",
      iconSize: [size, size],
    });
    return withTitle(icon, total, `${total} ${UNITS[state.unit].many}: ${label}`);
  }

  // A tooltip naming the mix, and the count as data for tests and assistive tools.
  function withTitle(icon, count, title) {
    const create = icon.createIcon.bind(icon);
    icon.createIcon = (old) => {
      const div = create(old);
      div.title = title;
      div.dataset.count = String(count);
      return div;
    };
    return icon;
  }

  // Radius grows with the square root of the people killed or injured (best estimates), so area
  // is proportional to the toll; events without figures keep the base size.
  function radiusOf(props) {
    const toll = (props.killed || 0) + (props.injured || 0);
    return Math.min(20, 6 + 2 * Math.sqrt(toll));
  }

  function popupContent(props, unit) {
    const dl = el("dl", { class: "popup-fields" });
    const add = (term, value) => {
      if (value === null || value === undefined || value === "") return;
      dl.append(el("dt", { text: term }), el("dd", { text: String(value) }));
    };
    add("Date", props.event_date + (props.date_end && props.date_end !== props.event_date ? ` – ${props.date_end}` : ""));
    add("Place", [props.location, props.admin1 !== props.location ? props.admin1 : null, props.country]
      .filter(Boolean).join(", "));
    add("Actors", [props.actor1, props.assoc_actor_1].filter(Boolean).join("; "));
    add("Targets", [props.actor2, props.assoc_actor_2].filter(Boolean).join("; "));
    add("Status", props.status + (props.claimed_by ? ` (claimed by ${props.claimed_by})` : "") +
      (props.denied_by ? ` (denied by ${props.denied_by})` : ""));
    const range = (kind) => {
      const [low, best, high] = [props[`${kind}_low`], props[kind], props[`${kind}_high`]];
      return figureText({ low: low ?? null, best: best ?? null, high: high ?? null });
    };
    add("Killed", unit === "incidents" ? range("killed") : props.killed);
    add("Injured", unit === "incidents" ? range("injured") : props.injured);
    const title = el("h3", {}, swatch(props.event_type), props.event_type + (props.mode ? ` (${props.mode})` : ""));
    if (unit === "incidents") {
      const n = props.n_sources || 0;
      return el(
        "div", { class: "popup", "data-incident-id": props.id, "data-id": props.id },
        title, dl,
        el("p", { class: "source", text: `Reported by ${n} source${n === 1 ? "" : "s"}${props.outlets ? `: ${props.outlets}` : ""}` }),
        el("p", { class: "open" }, el("a", { href: `/incidents/${encodeURIComponent(props.id)}`, text: "Open the incident page →" })),
      );
    }
    return el(
      "div", { class: "popup", "data-event-id": props.id, "data-id": props.id },
      title, dl,
      el("blockquote", { class: "evidence", text: props.evidence || "" }),
      props.source_title ? el("p", { class: "source", text: `Source: ${props.source_title}` }) : null,
      el("p", { class: "open" }, el("a", { href: `/events/${encodeURIComponent(props.id)}`, text: "Open the event page →" })),
    );
  }

  async function loadMap(fit) {
    const request = ++state.mapRequest;
    const unit = state.unit;
    const params = filterParams();
    params.set("format", "geojson");
    params.set("limit", String(MAP_PAGE));
    const features = [];
    let total = 0;
    let cursor = null;
    do {
      if (cursor) params.set("cursor", cursor);
      const url = `${UNITS[unit].list}?${params}`;
      const page = await fetchJson(url);
      if (request !== state.mapRequest) return dropped(url); // a newer filter superseded this one
      total = page.total;
      features.push(...page.features);
      cursor = page.next_cursor;
    } while (cursor && features.length < MAP_CAP);

    clusters.clearLayers();
    state.markers.clear();
    const counts = new Map();
    const markers = features.map((feature) => {
      const props = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      const marker = L.circleMarker([lat, lon], {
        radius: radiusOf(props),
        className: `sitrep-marker type-${props.event_type}`,
        color: "#1b1b1b",
        weight: 1,
        fillColor: colourOf(props.event_type),
        fillOpacity: 0.85,
        eventType: props.event_type,
      });
      marker.bindPopup(() => popupContent(props, unit), { maxWidth: 340 });
      marker.bindTooltip(`${props.event_type} · ${props.location || ""} · ${props.event_date || "no date"}`);
      marker.on("click", () => selectRow(props.id, true));
      state.markers.set(props.id, marker);
      counts.set(props.event_type, (counts.get(props.event_type) || 0) + 1);
      return marker;
    });
    clusters.addLayers(markers);
    state.points = features.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]);
    state.mapShown = { drawn: features.length, total, unit, capped: Boolean(cursor) };
    document.body.dataset.mapEvents = String(features.length);
    document.body.dataset.mapTotal = String(total);
    if (fit && markers.length) await fitToMarkers(dataExtent(state.points));
    drawLegend(counts, unit);
    showMapStatus();
    showStatus();
  }

  // The extent of the bulk of the points: a few far-off ones (a statement in Washington among
  // strikes in Syria) would otherwise zoom the map out to the whole world. The box between the 2.5th
  // and 97.5th percentiles of latitude and of longitude is widened by half its size each way; the
  // points inside it make the extent, the rest stay on the map, outside the first view (the status
  // line counts them). Fewer than 10 points: all of them.
  function dataExtent(points) {
    if (points.length < 10) return L.latLngBounds(points);
    const lats = points.map((p) => p[0]).sort((a, b) => a - b);
    const lons = points.map((p) => p[1]).sort((a, b) => a - b);
    const [south, north] = [d3.quantileSorted(lats, 0.025), d3.quantileSorted(lats, 0.975)];
    const [west, east] = [d3.quantileSorted(lons, 0.025), d3.quantileSorted(lons, 0.975)];
    const padLat = Math.max(0.5, (north - south) / 2);
    const padLon = Math.max(0.5, (east - west) / 2);
    const kept = points.filter(([lat, lon]) => lat >= south - padLat && lat <= north + padLat &&
      lon >= west - padLon && lon <= east + padLon);
    return L.latLngBounds(kept.length ? kept : points);
  }

  // How many of the drawn records the current view leaves out, in the status line and as data
  // (the view's bounds, zoom and the zoom that shows the whole world) for tests.
  function showMapStatus() {
    const shown = state.mapShown;
    if (!shown) return;
    const view = map.getBounds();
    const outside = state.points.filter((p) => !view.contains(p)).length;
    const more = shown.capped ? ` (the ${MAP_CAP.toLocaleString()} newest; narrow the filters to see the rest)` : "";
    const away = outside ? `, ${outside.toLocaleString()} outside this view` : "";
    status.map = `${shown.drawn.toLocaleString()} on the map${away}${more}`;
    const data = document.body.dataset;
    data.mapOutside = String(outside);
    data.mapZoom = String(map.getZoom());
    data.mapWorldZoom = String(map.getBoundsZoom([[-60, -180], [75, 180]]));
    data.mapBounds = JSON.stringify([[view.getSouth(), view.getWest()], [view.getNorth(), view.getEast()]]);
  }

  // Fits the map to the drawn markers and resolves once the clusters have settled. A zoom change
  // makes the cluster layer animate its old icons out over a few hundred milliseconds; until its
  // "animationend" the map still shows the previous filter's clusters, so the page may not yet
  // say it is loaded (what a reader, or a test counting the icons, would then see is stale).
  function fitToMarkers(bounds) {
    return new Promise((resolve) => {
      const zoomBefore = map.getZoom();
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clusters.off("animationend", finish);
        resolve();
      };
      clusters.on("animationend", finish);
      map.fitBounds(bounds, { maxZoom: 7, padding: [30, 30], animate: false });
      if (map.getZoom() === zoomBefore) finish(); // no zoom, no cluster animation
      else setTimeout(finish, 3000); // never leave the page loading if the event does not come
    });
  }

  // The legend says what the map counts (incidents or mentions, under which filters), what the
  // colours and sizes mean, and how many records of each type are drawn; the longer explanation
  // folds away so the legend does not hide the map.
  function drawLegend(counts, unit) {
    const div = legend.getContainer();
    const shown = state.mapShown || { drawn: 0, total: 0 };
    const incidents = unit === "incidents";
    div.replaceChildren(
      el("h2", { text: incidents ? "Incidents by event type" : "Event mentions by event type" }),
      el("p", { class: "legend-what", text: incidents
        ? "One circle per incident: a real-world event counted once, however many reports of it."
        : "One circle per event mention: every report, one per article." }),
      el("p", { class: "legend-filters", text: `Filters: ${filtersText(unit)}.` }),
    );
    if (!counts.size) {
      div.append(el("p", { text: `No ${UNITS[unit].many} on the map` }));
      return;
    }
    const list = el("ul");
    const types = Object.keys(TYPE_COLOURS).filter((t) => counts.has(t))
      .concat([...counts.keys()].filter((t) => !(t in TYPE_COLOURS)));
    for (const type of types) list.append(el("li", {}, swatch(type), `${type} (${counts.get(type)})`));
    div.append(
      list,
      el("p", { class: "size-key", text: "Colour: event type. Size: killed plus injured. Ring: a cluster." }),
      el("details", { class: "legend-more" },
        el("summary", { text: "What the map shows" }),
        el("p", { class: "legend-located", text: `${shown.drawn.toLocaleString()} of ${shown.total.toLocaleString()} ` +
          `matching ${UNITS[unit].many} have a point and are drawn; the others are known only at country level.` +
          (incidents ? "" : " An attack reported by two articles is two mentions.") }),
        el("p", { class: "colour-key", text: "Colour: the PLOVER event type (blues and greens cooperation, " +
          "yellows and oranges verbal conflict, reds and purples material conflict); the numbers count " +
          `the ${UNITS[unit].many} of each type on the map.` }),
        el("p", { class: "size-key-long", text: `Circle size: killed plus injured (${incidents
          ? "the incident's reconciled best estimates" : "the report's best estimates"}), area in proportion; ` +
          "without a figure, the smallest size." }),
        el("p", { class: "ring-key", text: "A numbered ring is a cluster of nearby circles: the number counts " +
          "them, the ring's segments are their types. Zoom in or click it to see them." })),
    );
  }

  // The form's filters in words ("type ASSAULT, 2016-01-01 to 2016-12-31"), or what the default is.
  function filtersText(unit) {
    const parts = [];
    for (const field of form.elements) {
      if (!field.name || field.disabled) continue;
      const value = String(field.value || "").trim();
      if (!value) continue;
      if (field.name === "date_from" || field.name === "date_to") continue;
      const label = form.querySelector(`label[for='${field.id}']`);
      const name = label ? label.textContent.trim().toLowerCase() : field.name;
      const text = field.tagName === "SELECT" ? field.options[field.selectedIndex].text : value;
      parts.push(`${name} ${text}`);
    }
    const from = $("f-from").value;
    const to = $("f-to").value;
    if (from || to) parts.push(from && to ? `${from} to ${to}` : from ? `from ${from}` : `until ${to}`);
    const kind = unit === "incidents" || !$("f-kind").value ? "occurrences only" : null;
    if (kind) parts.push(kind);
    return parts.length === 1 && kind ? `none (${kind}, every date)` : parts.join(", ");
  }

  // -- table ----------------------------------------------------------------------------------

  function killedText(record) {
    return figureText((record.figures || {}).killed);
  }

  // The evidence cell: a mention's sentence, linking to its event page; or an incident's first
  // report, how many sources it has, linking to the incident page.
  function evidenceCell(record, unit) {
    const actors = actorsText(record);
    if (unit === "incidents") {
      const sources = record.sources || [];
      const first = sources.length && (sources[0].evidence || [])[0];
      const n = record.n_sources || sources.length;
      return el("td", { class: "evidence" },
        el("a", { href: `/incidents/${encodeURIComponent(record.id)}`, title: "Open the incident page" },
          el("span", { class: "n-sources", text: `${n} source${n === 1 ? "" : "s"}` }), (first && first.text) || ""),
        actors ? el("span", { class: "actors", text: actors }) : null);
    }
    const evidence = (record.evidence && record.evidence.text) || "";
    return el("td", { class: "evidence" },
      el("a", { href: `/events/${encodeURIComponent(record.id)}`, title: "Open the event page" }, evidence),
      actors ? el("span", { class: "actors", text: actors }) : null);
  }

  function drawTable(records, unit) {
    state.rows.clear();
    const rows = records.map((record) => {
      const hasPoint = record.location && typeof record.location.lat === "number";
      const dateCell = hasPoint
        ? el("button", { type: "button", class: "focus", title: "Show on the map", text: dateText(record) || "—" })
        : el("span", { title: "No point on the map", text: dateText(record) || "—" });
      const idAttribute = unit === "incidents" ? "data-incident-id" : "data-event-id";
      const row = el("tr", { [idAttribute]: record.id, "data-id": record.id, class: hasPoint ? "has-point" : "no-point" },
        el("td", { class: "date" }, dateCell),
        el("td", { class: "type" }, swatch(record.event_type), record.event_type,
          el("span", { class: `status-line status-${record.status}`, text: record.status })),
        el("td", { class: "place", text: placeText(record) }),
        el("td", { class: "num", text: killedText(record) }),
        evidenceCell(record, unit),
      );
      state.rows.set(record.id, row);
      return row;
    });
    tbody.replaceChildren(...rows);
    if (!rows.length) {
      const hint = unit === "incidents"
        ? " Incidents are resolved at ingest from occurrences; count mentions to see every report." : "";
      tbody.append(el("tr", {}, el("td", { colspan: "5", class: "empty",
        text: `No ${UNITS[unit].many} match these filters.${hint}` })));
    }
  }

  async function loadTable() {
    const request = ++state.tableRequest;
    const unit = state.unit;
    const params = filterParams();
    params.set("limit", String(PAGE_SIZE));
    params.set("sort", state.sort);
    const cursor = state.cursors[state.page];
    if (cursor) params.set("cursor", cursor);
    const url = `${UNITS[unit].list}?${params}`;
    const page = await fetchJson(url);
    if (request !== state.tableRequest) return dropped(url); // a newer filter or page superseded this one
    state.nextCursor = page.next_cursor;
    if (page.next_cursor) state.cursors[state.page + 1] = page.next_cursor;
    const records = page[UNITS[unit].key];
    drawTable(records, unit);
    const first = records.length ? state.page * PAGE_SIZE + 1 : 0;
    const last = state.page * PAGE_SIZE + records.length;
    $("page-info").textContent = records.length ? `${first}–${last} of ${page.total.toLocaleString()}` : "";
    $("prev").disabled = state.page === 0;
    $("next").disabled = !page.next_cursor;
    const { one, many } = UNITS[unit];
    status.table = `${page.total.toLocaleString()} ${page.total === 1 ? one : many} match`;
    document.body.dataset.total = String(page.total);
    showStatus();
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
    // Unfold the cluster holding it, then open its popup; no animation is forced on anyone.
    clusters.zoomToShowLayer(marker, () => marker.openPopup());
  }

  tbody.addEventListener("click", (event) => {
    if (event.target.closest("a")) return; // the evidence link opens the event page
    const row = event.target.closest("tr[data-id]");
    if (row) focusEvent(row.dataset.id);
  });

  // -- timeline -------------------------------------------------------------------------------

  const DAY = 86400000;
  const parseDay = (s) => new Date(`${s}T00:00:00Z`);
  const isoDay = (d) => d.toISOString().slice(0, 10);

  function binning(spanDays) {
    if (spanDays <= 120) return { name: "day", interval: d3.utcDay };
    if (spanDays <= 3 * 365) return { name: "week", interval: d3.utcMonday };
    return { name: "month", interval: d3.utcMonth };
  }

  async function loadTimeline() {
    const request = ++state.timelineRequest;
    const params = filterParams({ withDates: false });
    params.set("by", "day");
    params.set("figures", "false");
    params.set("unit", state.unit);
    const url = `/api/aggregates/events?${params}`;
    const body = await fetchJson(url);
    if (request !== state.timelineRequest) return dropped(url);
    drawTimeline(body);
  }

  function drawTimeline(body) {
    const host = $("timeline");
    host.replaceChildren();
    const days = body.groups.map((g) => ({ date: parseDay(g.key), count: g.count }));
    if (!days.length) {
      host.append(el("p", { class: "muted", text: `No dated ${UNITS[body.unit || state.unit].many}.` }));
      state.timeline = null;
      return;
    }
    // The axis spans the bulk of the events: a few far older ones (a historical reference in an
    // article) would otherwise squeeze everything else into a corner. They are counted below.
    const sorted = days.flatMap((d) => Array(Math.min(d.count, 1000)).fill(d.date.getTime()));
    sorted.sort((a, b) => a - b);
    const lowCut = d3.quantileSorted(sorted, 0.02);
    const start = new Date(Math.min(lowCut, sorted[sorted.length - 1]));
    const end = new Date(sorted[sorted.length - 1]);
    const { name, interval } = binning((end - start) / DAY);
    const domainStart = interval.floor(start);
    const domainEnd = interval.offset(interval.floor(end), 1);
    const bins = new Map();
    let hidden = 0;
    for (const d of days) {
      if (d.date < domainStart) { hidden += d.count; continue; }
      const key = interval.floor(d.date).getTime();
      bins.set(key, (bins.get(key) || 0) + d.count);
    }
    const data = [...bins.entries()].map(([t, count]) => ({ start: new Date(t), end: interval.offset(new Date(t), 1), count }));

    const width = host.clientWidth || 800;
    const height = host.clientHeight || 110;
    const margin = { top: 6, right: 12, bottom: 20, left: 38 };
    const x = d3.scaleUtc().domain([domainStart, domainEnd]).range([margin.left, width - margin.right]);
    const y = d3.scaleLinear().domain([0, d3.max(data, (d) => d.count) || 1]).nice().range([height - margin.bottom, margin.top]);
    const svg = d3.select(host).append("svg").attr("width", width).attr("height", height).attr("class", "timeline-svg");
    svg.append("g").attr("transform", `translate(0,${height - margin.bottom})`)
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 90))).tickSizeOuter(0));
    svg.append("g").attr("transform", `translate(${margin.left},0)`)
      .call(d3.axisLeft(y).ticks(3).tickFormat(d3.format("~s")));
    svg.append("g").attr("class", "bars").selectAll("rect").data(data).join("rect")
      .attr("x", (d) => x(d.start))
      .attr("width", (d) => Math.max(1, x(d.end) - x(d.start) - 1))
      .attr("y", (d) => y(d.count))
      .attr("height", (d) => y(0) - y(d.count))
      .append("title").text((d) => `${isoDay(d.start)}: ${d.count} ${d.count === 1 ? UNITS[state.unit].one : UNITS[state.unit].many}`);

    const brush = d3.brushX()
      .extent([[margin.left, margin.top], [width - margin.right, height - margin.bottom]])
      .on("end", brushed);
    const g = svg.append("g").attr("class", "brush").call(brush);
    state.timeline = { x, brush, g, interval, name };
    $("timeline-info").textContent = `${UNITS[state.unit].heading} per ${name}` + (hidden ? ` (${hidden} earlier not shown)` : "") +
      ". Drag across the bars to show only that period.";
    document.body.dataset.timeline = name;
    syncBrush();
  }

  // The brush snaps to whole bins and writes the form's dates, which then filter the map and table.
  function brushed(event) {
    if (state.brushing || !event.sourceEvent) return;
    const { x, interval } = state.timeline;
    if (!event.selection) {
      setRange("", "");
      return;
    }
    const [a, b] = event.selection.map(x.invert);
    const from = interval.floor(a);
    let to = interval.ceil(b);
    if (to <= from) to = interval.offset(from, 1);
    setRange(isoDay(from), isoDay(new Date(to.getTime() - DAY)));
  }

  function setRange(from, to) {
    $("f-from").value = from;
    $("f-to").value = to;
    applyFilters({ timeline: false });
  }

  // Draws the form's date range on the timeline (after typing dates, or a redraw).
  function syncBrush() {
    const t = state.timeline;
    const from = $("f-from").value;
    const to = $("f-to").value;
    $("clear-range").hidden = !(from || to);
    if (!t) return;
    state.brushing = true;
    if (from || to) {
      const [d0, d1] = t.x.domain();
      const a = from ? parseDay(from) : d0;
      const b = to ? new Date(parseDay(to).getTime() + DAY) : d1;
      t.g.call(t.brush.move, [t.x(a < d0 ? d0 : a), t.x(b > d1 ? d1 : b)]);
    } else {
      t.g.call(t.brush.move, null);
    }
    state.brushing = false;
  }

  // -- filters and loading --------------------------------------------------------------------

  function filterParams({ withDates = true } = {}) {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form).entries()) {
      const text = String(value).trim();
      if (!text) continue;
      if (!withDates && (key === "date_from" || key === "date_to")) continue;
      params.set(key, text);
    }
    return params;
  }

  // The situation brief (/brief) of the country or place and the dates chosen: a link in the top bar,
  // kept in step with the filters; without a country or place and both dates there is no brief to open.
  function updateBriefLink() {
    const params = filterParams();
    let link = $("brief-link");
    if (!link) {
      link = document.createElement("a");
      link.id = "brief-link";
      link.textContent = "Brief";
      document.querySelector(".toplinks").prepend(link);
    }
    const scope = params.get("country") ? "country" : params.get("place") ? "place" : null;
    const from = params.get("date_from");
    const to = params.get("date_to");
    if (scope && from && to) {
      link.href = `/brief?${new URLSearchParams({ [scope]: params.get(scope), from, to })}`;
      link.removeAttribute("aria-disabled");
      link.title = "The situation brief of this country or place over these dates";
    } else {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
      link.title = "Choose a country or place and both dates for a situation brief";
    }
  }

  function showStatus() {
    statusLine.textContent = [status.table, status.map].filter(Boolean).join("; ") + ".";
  }

  function showError(message) {
    errorLine.textContent = message;
    errorLine.hidden = !message;
  }

  async function applyFilters({ timeline = true, fit = true } = {}) {
    showError("");
    state.page = 0;
    state.cursors = [null];
    statusLine.textContent = `Loading ${UNITS[state.unit].many}…`;
    document.body.dataset.loaded = "loading";
    // Filters can change again before this load ends (a date field's change, then Apply): only the
    // newest load may say the page is loaded, or a superseded one announces a map still being drawn.
    const load = ++state.loadRequest;
    syncBrush();
    updateBriefLink();
    try {
      await Promise.all([loadTable(), loadMap(fit), timeline ? loadTimeline() : Promise.resolve()]);
      if (load === state.loadRequest) document.body.dataset.loaded = state.unit;
    } catch (err) {
      if (load !== state.loadRequest) return;
      statusLine.textContent = `Could not load ${UNITS[state.unit].many}.`;
      showError(err.message);
      document.body.dataset.loaded = "error";
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    applyFilters();
  });
  form.addEventListener("reset", () => {
    // The reset event fires before the fields are cleared; query once they are. Reset clears the
    // filters, not what is counted (the switch is outside the form).
    setTimeout(() => applyFilters(), 0);
  });
  const countRadios = document.querySelectorAll("#unit-switch input[name='count']");
  for (const radio of countRadios) {
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      showUnit(radio.value);
      applyFilters({ fit: false });
    });
  }
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => form.requestSubmit());
  }
  for (const input of [$("f-from"), $("f-to")]) {
    input.addEventListener("change", () => applyFilters({ timeline: false }));
  }
  $("clear-range").addEventListener("click", () => setRange("", ""));
  $("sort").addEventListener("change", (event) => {
    state.sort = event.target.value;
    state.page = 0;
    state.cursors = [null];
    loadTable().catch((err) => showError(err.message));
  });
  $("prev").addEventListener("click", () => {
    state.page = Math.max(0, state.page - 1);
    loadTable().catch((err) => showError(err.message));
  });
  $("next").addEventListener("click", () => {
    if (!state.nextCursor) return;
    state.page += 1;
    loadTable().catch((err) => showError(err.message));
  });
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      map.invalidateSize();
      loadTimeline().catch(() => {});
    }, 200);
  });

  function fillSelect(select, values) {
    for (const value of values) select.append(el("option", { value, text: value }));
  }

  // The sort menu is the API's own list of sorts with their meaning; "-confidence" keeps its id
  // (the incidents view disables it). Without a config the one static choice (newest first) stays.
  function fillSorts(labels) {
    if (!labels || !Object.keys(labels).length) return;
    const select = $("sort");
    select.replaceChildren();
    for (const [value, text] of Object.entries(labels)) {
      const option = el("option", { value, text });
      if (value === "-confidence") option.id = "sort-confidence";
      select.append(option);
    }
    select.value = state.sort;
  }

  // Shows what `unit` counts everywhere: the switch, headings, the sorts and filters it supports.
  // Incidents are made of occurrences only (no Kind choice) and have no confidence to sort by.
  function showUnit(unit) {
    state.unit = UNITS[unit] ? unit : "incidents";
    for (const radio of countRadios) radio.checked = radio.value === state.unit;
    const incidents = state.unit === "incidents";
    const kind = $("f-kind");
    kind.disabled = incidents;
    kind.title = incidents
      ? "Incidents are made of occurrences only: count mentions to see background, commentary or headlines"
      : "Background, commentary and headline events are not happenings of the story's time; they stay out of the default view";
    // confidence is an event's; contested is an incident's status (a claim its other reports deny)
    for (const option of $("sort").options) {
      if (option.value.includes("confidence")) option.disabled = incidents;
    }
    if (incidents && state.sort.includes("confidence")) {
      state.sort = "-date";
      $("sort").value = "-date";
    }
    const status = $("f-status");
    for (const option of status.options) {
      if (option.value === "contested") option.disabled = !incidents;
    }
    if (!incidents && status.value === "contested") status.value = "";
    $("table-heading").textContent = UNITS[state.unit].heading;
    $("timeline-heading").textContent = `${UNITS[state.unit].heading} over time`;
    document.body.dataset.unit = state.unit;
  }

  // Filters can be given in the address (/?type=ASSAULT&country=SYR), so a view can be shared;
  // ?count=mentions counts mentions (a kind other than occurrences implies it).
  function fillFromAddress() {
    const params = new URLSearchParams(window.location.search);
    for (const field of form.elements) {
      if (field.name && params.has(field.name)) field.value = params.get(field.name);
    }
    const kind = params.get("kind");
    showUnit(params.get("count") || (kind && kind !== "occurrence" ? "mentions" : "incidents"));
  }

  async function start() {
    map.invalidateSize(); // the grid has laid the panel out by now; Leaflet measured it earlier
    let config = {
      event_types: Object.keys(TYPE_COLOURS), statuses: [], kinds: [], tile_url: null, admin1_basemap: null,
    };
    try {
      config = await fetchJson("/api/config");
    } catch (err) {
      showError(`Could not read /api/config: ${err.message}`);
    }
    fillSelect($("f-type"), config.event_types);
    fillSelect($("f-status"), config.incident_statuses || config.statuses);
    fillSorts(config.sort_labels);
    // Occurrences are the empty (default) choice; the other kinds, then every kind at once.
    fillSelect($("f-kind"), [...(config.kinds || []).filter((k) => k !== "occurrence"), "all"]);
    fillFromAddress();
    const tileUrl = new URLSearchParams(window.location.search).get("tiles") || config.tile_url;
    await Promise.all([
      window.sitrep.drawBasemap(map, { tileUrl, admin1Url: config.admin1_basemap })
        .catch((err) => showError(`Could not draw the basemap: ${err.message}`)),
      applyFilters(),
    ]);
  }

  start();
})();
