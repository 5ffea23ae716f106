// sitrep incident page: one real-world event and every report of it. Where the reports disagree
// (figures, dates, who is blamed, place, status) comes first; then every source side by side,
// each report's evidence and its own facts, the differing ones highlighted, each linking to its
// evidence page; beside them the reconciled record, its figures with every report, the member
// reports and a small map. Data: /api/incidents/{id}. Text from the API is inserted as text only.
"use strict";

(function () {
  const { el, fetchJson, swatch, dateText, placeText, partyNames, figureText, FIGURE_KINDS } = window.sitrep;
  const $ = (id) => document.getElementById(id);
  const incidentId = decodeURIComponent(window.location.pathname.replace(/^\/incidents\//, "").replace(/\/$/, ""));

  const PRECISION = { 1: "exact day", 2: "within a week", 3: "within a month" };
  const GEO_PRECISION = { 1: "the place itself", 2: "near the place", 3: "the region (admin1)" };
  const FIELD_LABELS = {
    date: "Date", actors: "Who did it", recipients: "Targets", place: "Place", status: "Status",
    killed: "Killed", injured: "Injured", displaced: "Displaced", besieged: "Besieged", trapped: "Trapped",
    detained: "Detained", strikes: "Strikes",
  };
  const fieldLabel = (field) => FIELD_LABELS[field] || field;
  const number = (n) => (typeof n === "number" ? n.toLocaleString("en") : "—");
  const eventLink = (id, text) => el("a", { href: `/events/${encodeURIComponent(id)}`, text });

  function showError(message) {
    $("error").textContent = message;
    $("error").hidden = !message;
  }

  // field -> Map(event id -> the value that mention gives), for the fields the reports disagree on.
  function disagreeingFields(incident) {
    const out = new Map();
    for (const d of incident.disagreements || []) {
      const byEvent = new Map();
      for (const value of d.values) for (const id of value.event_ids) byEvent.set(id, value.label);
      out.set(d.field, { byEvent, values: d.values });
    }
    return out;
  }

  function sourceName(source) {
    return source ? source.outlet || source.title || source.doc_id || "unnamed source" : "unnamed source";
  }

  function drawHead(incident) {
    const loc = incident.location || {};
    const outlets = [...new Set((incident.sources || []).map(sourceName))];
    const n = incident.n_sources || 0;
    const head = [
      el("p", { class: "event-kicker" }, swatch(incident.event_type),
        `INCIDENT · ${incident.event_type}${incident.mode ? ` · ${incident.mode}` : ""} · `,
        el("span", { class: `status status-${incident.status}`, text: incident.status || "no status" })),
      el("h2", { id: "incident-title", text: `${(incident.event_type || "event").toLowerCase()} in ${loc.name || loc.text || "an unknown place"}, ${dateText(incident) || "undated"}` }),
      el("p", { id: "incident-summary", class: "incident-summary",
        text: `Reported by ${n} source${n === 1 ? "" : "s"} (${outlets.join("; ")}) in ` +
          `${incident.members.length} report${incident.members.length === 1 ? "" : "s"}.` }),
    ];
    if (incident.resolved_from) {
      head.push(el("p", { id: "merged-note", class: "note" },
        "Incident ", el("code", { text: incident.resolved_from }),
        " was merged into this one when new reports showed they are the same event; its id still leads here."));
    }
    $("incident-head").replaceChildren(...head);
    document.title = `sitrep — incident: ${incident.event_type} ${loc.name || ""} ${incident.date || ""}`.trim();
  }

  function drawDisagreements(incident, sourcesByDoc) {
    const list = $("disagreements");
    const items = incident.disagreements || [];
    if (!items.length) {
      list.replaceChildren(el("li", { class: "muted agree",
        text: "The sources agree on every figure, date, place, actor and status they give." }));
      return;
    }
    list.replaceChildren(...items.map((d) => el("li", { class: "disagreement", "data-field": d.field },
      el("strong", { text: `${fieldLabel(d.field)}: ` }),
      ...d.values.flatMap((value, i) => {
        const who = value.doc_ids.map((doc) => {
          const s = sourcesByDoc.get(doc);
          return s ? `${sourceName(s)}${s.published ? `, ${s.published}` : ""}` : doc;
        }).join("; ");
        return [i ? el("span", { class: "versus", text: " vs " }) : null,
          el("mark", { class: "disagree", text: value.label }),
          el("span", { class: "muted", text: ` (${who || value.event_ids.join(", ")})` })];
      }))));
  }

  // One fact of one report: highlighted (with what the others say) when the reports differ on it.
  function reportFact(dl, field, text, eventId, disagreeing) {
    if (text === null || text === undefined || text === "") return;
    const d = disagreeing.get(field);
    const differs = d && d.byEvent.has(eventId);
    const dd = el("dd", { "data-field": field }, differs ? el("mark", { class: "disagree", text }) : text);
    if (differs) {
      const others = d.values.filter((v) => !v.event_ids.includes(eventId)).map((v) => v.label);
      dd.title = `Other sources: ${others.join("; ")}`;
      dd.classList.add("differs");
    }
    dl.append(el("dt", { text: fieldLabel(field) }), dd);
  }

  function drawReport(member, evidence, disagreeing) {
    const box = el("div", { class: "report", "data-event-id": member ? member.id : "" });
    box.append(el("blockquote", { class: "evidence" }, el("q", { text: (evidence && evidence.text) || "" })));
    if (!member) return box;
    const dl = el("dl", { class: "report-fields" });
    const precision = member.time_precision ? ` (${PRECISION[member.time_precision] || member.time_precision})` : "";
    reportFact(dl, "date", dateText(member) ? dateText(member) + precision : "", member.id, disagreeing);
    reportFact(dl, "place", placeText(member), member.id, disagreeing);
    reportFact(dl, "actors", partyNames(member.actors), member.id, disagreeing);
    reportFact(dl, "recipients", partyNames(member.recipients), member.id, disagreeing);
    reportFact(dl, "status", member.status, member.id, disagreeing);
    for (const kind of FIGURE_KINDS) {
      const f = (member.figures || {})[kind];
      if (f) reportFact(dl, kind, f.hedge ? `${figureText(f)} (“${f.hedge}”)` : figureText(f), member.id, disagreeing);
    }
    box.append(dl, el("p", { class: "open" }, eventLink(member.id, "Evidence in the article →")));
    return box;
  }

  function drawSources(incident, membersById, disagreeing) {
    const columns = (incident.sources || []).map((source) => {
      const title = source.title || "(untitled document)";
      const column = el("article", { class: "source-column", "data-doc-id": source.doc_id || "" },
        el("h3", { class: "outlet", text: source.outlet || "Unknown outlet" }),
        el("p", { class: "published muted", text: source.published ? `Published ${source.published}` : "No publication date" }),
        el("p", { class: "title" }, source.url
          ? el("a", { href: source.url, rel: "noreferrer noopener", text: title })
          : el("span", { text: title })));
      source.event_ids.forEach((id, i) => column.append(drawReport(membersById.get(id), source.evidence[i], disagreeing)));
      return column;
    });
    $("source-columns").replaceChildren(...columns);
  }

  function drawFacts(incident) {
    const dl = $("facts");
    dl.replaceChildren();
    const add = (term, value) => {
      if (value === null || value === undefined || value === "") return;
      dl.append(el("dt", { text: term }), el("dd", {}, value instanceof Node ? value : String(value)));
    };
    const loc = incident.location || {};
    add("Type", `${incident.event_type}${incident.mode ? ` (${incident.mode})` : ""}`);
    const statuses = Object.entries(incident.statuses || {}).map(([s, n]) => `${s} ${n}`).join(", ");
    add("Status", `${incident.status}${statuses ? ` (reports: ${statuses})` : ""}`);
    add("Date", `${dateText(incident) || "undated"}${incident.time_precision ? ` (${PRECISION[incident.time_precision] || incident.time_precision})` : ""}`);
    add("Place", placeText(incident));
    if (typeof loc.lat === "number") {
      add("Point", `${loc.lat.toFixed(4)}, ${loc.lon.toFixed(4)}${loc.geo_precision ? ` (${GEO_PRECISION[loc.geo_precision] || loc.geo_precision})` : ""}`);
    } else {
      add("Point", "none: known only at country level");
    }
    const withCounts = (list) => (list || []).map((a) => `${a.name || a.text || a.id}${a.reports ? ` (${a.reports})` : ""}`).join("; ");
    add("Actors", withCounts(incident.actors));
    add("Targets", withCounts(incident.recipients));
    const acled = incident.acled || {};
    if (acled.event_type) add("ACLED", `${acled.event_type}${acled.sub_event_type ? ` / ${acled.sub_event_type}` : ""}`);
    add("Sources", incident.n_sources);
    add("First seen", incident.created_at ? `${incident.created_at} UTC` : "");
    add("Last changed", incident.updated_at ? `${incident.updated_at} UTC` : "");
    add("Incident id", el("code", { text: incident.id }));
  }

  function drawFigures(incident, sourcesByDoc, disagreeing) {
    const host = $("figures");
    const kinds = FIGURE_KINDS.filter((k) => (incident.figures || {})[k]);
    if (!kinds.length) {
      host.replaceChildren(el("p", { class: "muted", text: "No figures reported." }));
      return;
    }
    const rows = kinds.map((kind) => {
      const f = incident.figures[kind];
      const reports = el("ul", { class: "figure-reports" }, ...(f.reports || []).map((r) => {
        const s = sourcesByDoc.get(r.doc_id);
        const who = [r.outlet || (s && sourceName(s)), r.published].filter(Boolean).join(", ");
        return el("li", {}, eventLink(r.event_id, typeof r.value === "number" ? number(r.value) : "?"),
          r.hedge ? ` “${r.hedge}”` : "", who ? el("span", { class: "muted", text: ` ${who}` }) : null,
          r.revision ? el("span", { class: "revision", text: " (revised toll)" }) : null);
      }));
      return el("tr", { class: disagreeing.has(kind) ? "disagree" : null, "data-kind": kind },
        el("th", { scope: "row", text: kind }),
        el("td", { class: "num", text: number(f.low) }),
        el("td", { class: "num", text: number(f.best) }),
        el("td", { class: "num", text: number(f.high) }),
        el("td", {}, reports));
    });
    host.replaceChildren(
      el("table", { class: "figures" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col", text: "Figure" }), el("th", { scope: "col", class: "num", text: "Low" }),
          el("th", { scope: "col", class: "num", text: "Best" }), el("th", { scope: "col", class: "num", text: "High" }),
          el("th", { scope: "col", text: "Each report" }))),
        el("tbody", {}, ...rows)),
      el("p", { class: "muted small", text: "Best is the lowest credible report (ACLED's rule); low and high span every report." }));
  }

  function drawMembers(incident, membersById, sourcesByDoc) {
    $("members").replaceChildren(...incident.members.map((id) => {
      const m = membersById.get(id);
      if (!m) return el("li", {}, el("code", { text: id }), " (no longer stored)");
      const s = sourcesByDoc.get(m.doc_id);
      return el("li", { "data-event-id": id },
        eventLink(id, `${m.event_type} · ${dateText(m) || "undated"} · ${placeText(m) || "no place"}`),
        el("span", { class: "muted", text: ` — ${sourceName(s)}, ${m.status}` }));
    }));
  }

  async function drawMap(incident, config) {
    const loc = incident.location || {};
    if (typeof loc.lat !== "number") return;
    $("where").hidden = false;
    const map = L.map("minimap", { zoomControl: true, attributionControl: true, scrollWheelZoom: false })
      .setView([loc.lat, loc.lon], 6);
    await window.sitrep.drawBasemap(map, { tileUrl: config.tile_url, admin1Url: config.admin1_basemap });
    L.circleMarker([loc.lat, loc.lon], {
      radius: 8, className: `sitrep-marker type-${incident.event_type}`, color: "#1b1b1b", weight: 1,
      fillColor: window.sitrep.colourOf(incident.event_type), fillOpacity: 0.9,
    }).addTo(map).bindTooltip(loc.name || "");
  }

  async function start() {
    let incident;
    try {
      incident = await fetchJson(`/api/incidents/${encodeURIComponent(incidentId)}`);
    } catch (err) {
      showError(`Could not load incident ${incidentId}: ${err.message}`);
      $("incident-head").replaceChildren(el("p", { text: "No incident to show." }));
      document.body.dataset.loaded = "error";
      return;
    }
    if (incident.resolved_from) {
      // The address names the surviving incident from now on (a reload or a shared link).
      window.history.replaceState(null, "", `/incidents/${encodeURIComponent(incident.id)}${window.location.search}`);
    }
    const membersById = new Map((incident.member_events || []).map((m) => [m.id, m]));
    const sourcesByDoc = new Map((incident.sources || []).map((s) => [s.doc_id, s]));
    const disagreeing = disagreeingFields(incident);
    drawHead(incident);
    drawDisagreements(incident, sourcesByDoc);
    drawSources(incident, membersById, disagreeing);
    drawFacts(incident);
    drawFigures(incident, sourcesByDoc, disagreeing);
    drawMembers(incident, membersById, sourcesByDoc);
    document.body.dataset.loaded = "incident";
    let config = { tile_url: null, admin1_basemap: null };
    try {
      config = await fetchJson("/api/config");
    } catch (err) {
      // the page works without the map settings
    }
    const tiles = new URLSearchParams(window.location.search).get("tiles");
    if (tiles) config.tile_url = tiles;
    drawMap(incident, config).catch((err) => showError(`Could not draw the map: ${err.message}`));
  }

  start();
})();
