// sitrep event page: the article with the event's evidence sentence highlighted, the other
// sentences that speak of the event marked, every mention underlined by kind; beside it the
// event's facts, figures, sources and a small map, and a link to the incident the event belongs to.
// "Report a wrong field" files an analyst's correction (POST /api/events/{id}/corrections, JSON);
// the event then reads corrected, the extracted values kept and listed under Corrections.
// Data: /api/events/{id}/evidence.
"use strict";

(function () {
  const { el, fetchJson, swatch, dateText, placeText, partyNames, figureText } = window.sitrep;
  const $ = (id) => document.getElementById(id);
  const eventId = decodeURIComponent(window.location.pathname.replace(/^\/events\//, "").replace(/\/$/, ""));

  const DATE_BASIS = {
    stated: "stated in the sentence",
    carried: "carried from an earlier sentence",
    published: "the publication date (no date in the text)",
  };
  const PRECISION = { 1: "exact day", 2: "within a week", 3: "within a month" };
  const GEO_PRECISION = { 1: "the place itself", 2: "near the place", 3: "the region (admin1)" };
  const REASONS = {
    "same-event": "another report of the same type at the same place",
    place: "names the event's place",
    actor: "names one of its actors",
  };

  function showError(message) {
    $("error").textContent = message;
    $("error").hidden = !message;
  }

  // Splits the text at every boundary of a highlight (evidence, related sentence, mention) so that
  // each piece is wrapped in the marks it falls under; nesting stays valid whatever the overlaps.
  function renderText(text, start, end, layers) {
    const cuts = new Set([start, end]);
    for (const layer of layers) {
      for (const span of layer.spans) {
        if (span.end <= start || span.start >= end) continue;
        cuts.add(Math.max(start, span.start));
        cuts.add(Math.min(end, span.end));
      }
    }
    const points = [...cuts].sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i < points.length - 1; i++) {
      const a = points[i];
      const b = points[i + 1];
      let node = document.createTextNode(text.slice(a, b));
      for (const layer of layers) {
        const span = layer.spans.find((s) => s.start <= a && b <= s.end);
        if (span) node = layer.wrap(span, node, a === span.start);
      }
      out.push(node);
    }
    return out;
  }

  function drawDocument(data) {
    const { document: doc, evidence, related } = data;
    const host = $("document");
    host.replaceChildren();
    const evidenceSpans = typeof evidence.start === "number" ? [{ start: evidence.start, end: evidence.end }] : [];
    const relatedSpans = related.map((r, i) => ({ ...r, number: i + 1 }));
    const mentionSpans = (doc.mentions || []).filter((m) => m.end > m.start);
    const layers = [
      {
        spans: mentionSpans,
        wrap: (span, node) => el("span", {
          class: `mention mention-${span.kind.toLowerCase()}`,
          title: `${span.kind.toLowerCase()}${span.norm && span.norm.name ? `: ${span.norm.name}` : ""}`,
        }, node),
      },
      {
        spans: relatedSpans,
        wrap: (span, node, first) => el("mark", {
          class: "related", "data-related": String(span.number), id: first ? `related-${span.number}` : null,
          title: span.reasons.map((r) => REASONS[r] || r).join("; "),
        }, node),
      },
      {
        spans: evidenceSpans,
        wrap: (span, node, first) => el("mark", { class: "evidence", id: first ? "evidence" : null }, node),
      },
    ];
    const sections = doc.sections && doc.sections.length
      ? doc.sections : [{ name: "body", start: 0, end: doc.text.length }];
    for (const section of sections) {
      const text = doc.text;
      const block = el("section", { class: `doc-section doc-${section.name}` });
      if (section.name === "comment" || section.name === "reference") {
        block.append(el("h3", { class: "section-label",
          text: section.name === "comment" ? "Reader comments (not part of the article)" : "References" }));
      }
      // Paragraphs: the text's own blank-line or line breaks.
      const body = text.slice(section.start, section.end);
      let offset = section.start;
      for (const para of body.split(/\n+/)) {
        const at = text.indexOf(para, offset);
        if (!para.trim()) { offset = at + para.length; continue; }
        const tag = section.name === "title" ? "h3" : "p";
        block.append(el(tag, { class: section.name === "title" ? "doc-title" : null },
          ...renderText(text, at, at + para.length, layers)));
        offset = at + para.length;
      }
      host.append(block);
    }
    document.body.classList.toggle("hide-mentions", !$("show-mentions").checked);
  }

  function drawHead(record) {
    const head = $("event-head");
    const loc = record.location || {};
    head.replaceChildren(...[
      el("p", { class: "event-kicker" }, swatch(record.event_type),
        `${record.event_type}${record.mode ? ` · ${record.mode}` : ""} · `,
        el("span", { class: `status status-${record.status}`, text: record.status || "no status" })),
      el("h2", { id: "event-title", text: `${record.event_type.toLowerCase()} in ${loc.name || loc.text || "an unknown place"}, ${dateText(record) || "undated"}` }),
      el("p", { class: "evidence-quote" }, el("q", { text: (record.evidence && record.evidence.text) || "" })),
      // The incident this mention is one report of: every source of the same real-world event.
      record.incident_id
        ? el("p", { class: "event-incident" }, "One report of ",
          el("a", { id: "incident-link", href: `/incidents/${encodeURIComponent(record.incident_id)}`,
            text: "its incident" }),
          " (every source of the same event, side by side).")
        : null,
    ].filter(Boolean));
    document.title = `sitrep — ${record.event_type} ${loc.name || ""} ${record.date || ""}`.trim();
  }

  // Which facts a correction of a field changes (to mark them corrected).
  const FACT_OF_FIELD = {
    event_type: "Type", mode: "Type", status: "Status", kind: "Kind", date: "Date", date_end: "Date",
    "location.name": "Place", "location.country": "Place", "location.admin1": "Place",
    "location.lat": "Point", "location.lon": "Point", actors: "Actors", recipients: "Targets",
  };

  function drawFacts(record) {
    const dl = $("facts");
    dl.replaceChildren();
    const corrected = new Set(Object.keys(record.original || {}).map((f) => FACT_OF_FIELD[f]).filter(Boolean));
    const add = (term, value) => {
      if (value === null || value === undefined || value === "") return;
      const dd = el("dd", {}, value instanceof Node ? value : String(value));
      if (corrected.has(term)) {
        dd.classList.add("corrected");
        dd.append(el("span", { class: "corrected-mark", text: " corrected", title: "An analyst corrected this; see Corrections" }));
      }
      dl.append(el("dt", { text: term }), dd);
    };
    const loc = record.location || {};
    add("Type", `${record.event_type}${record.mode ? ` (${record.mode})` : ""}`);
    add("Status", record.status);
    if (record.kind) add("Kind", record.kind);
    add("Date", `${dateText(record) || "undated"}${record.time_precision ? ` (${PRECISION[record.time_precision] || record.time_precision})` : ""}` +
      (record.date_basis ? ` — ${DATE_BASIS[record.date_basis] || record.date_basis}` : ""));
    add("Place", placeText(record));
    if (typeof loc.lat === "number") {
      add("Point", `${loc.lat.toFixed(4)}, ${loc.lon.toFixed(4)}${loc.geo_precision ? ` (${GEO_PRECISION[loc.geo_precision] || loc.geo_precision})` : ""}`);
    } else {
      add("Point", "none: known only at country level");
    }
    if (loc.admin1_pcode) add("P-code", loc.admin1_pcode);
    add("Actors", partyNames(record.actors));
    add("Targets", partyNames(record.recipients));
    const acled = record.acled || {};
    if (acled.event_type) add("ACLED", `${acled.event_type}${acled.sub_event_type ? ` / ${acled.sub_event_type}` : ""}`);
    if (record.cameo) add("CAMEO", `${record.cameo}${record.quad ? ` (quad ${record.quad})` : ""}`);
    if ((record.contexts || []).length) add("Contexts", record.contexts.join(", "));
    if (typeof record.confidence === "number") add("Confidence", record.confidence.toFixed(2));
    add("Event id", el("code", { text: record.id }));
  }

  function drawFigures(figures, record) {
    const host = $("figures");
    const original = (record && record.original) || {};
    if (!figures.length) {
      host.replaceChildren(el("p", { class: "muted", text: "No figures reported." }));
      return;
    }
    const table = el("table", { class: "figures" },
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: "Figure" }), el("th", { scope: "col", class: "num", text: "Low" }),
        el("th", { scope: "col", class: "num", text: "Best" }), el("th", { scope: "col", class: "num", text: "High" }),
        el("th", { scope: "col", text: "As reported" }))),
      el("tbody", {}, ...figures.map((f) => el("tr", { class: `figures.${f.kind}` in original ? "corrected" : null },
        el("th", { scope: "row", text: f.kind }),
        el("td", { class: "num", text: f.low ?? "—" }),
        el("td", { class: "num", text: f.best ?? "—" }),
        el("td", { class: "num", text: f.high ?? "open" }),
        el("td", { text: f.hedge ? `“${f.hedge}” (${figureText(f)})` : figureText(f) })))));
    host.replaceChildren(table);
  }

  // -- corrections ----------------------------------------------------------------------------

  // A value as a reader says it: party names, a figure's range, a date, or "none".
  function valueText(field, value) {
    if (value === null || value === undefined || (Array.isArray(value) && !value.length)) return "none";
    if (field === "actors" || field === "recipients") return partyNames(value);
    if (field.startsWith("figures.")) return figureText(value) || "none";
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  function drawCorrections(record) {
    const list = record.corrections || [];
    $("corrections-none").hidden = list.length > 0;
    $("corrections").replaceChildren(...list.map((c) => el("li", { class: "correction", "data-field": c.field },
      el("code", { text: c.field }), ": ",
      el("del", { text: valueText(c.field, c.old_value) }), " → ",
      el("ins", { text: valueText(c.field, c.new_value) }),
      el("span", { class: "muted", text: ` (${[c.author, c.created_at.slice(0, 10)].filter(Boolean).join(", ")})` }),
      c.note ? el("p", { class: "correction-note", text: c.note }) : null)));
    const note = $("corrected-note");
    if (note) note.remove();
    if (record.corrected) {
      $("event-head").append(el("p", { id: "corrected-note", class: "corrected-note",
        text: `Corrected by an analyst (${list.length} correction${list.length === 1 ? "" : "s"}); ` +
          "the values as extracted are kept and listed under Corrections." }));
    }
  }

  // How the form's text becomes the value the API takes for each kind of field.
  function parseValue(spec, text) {
    const t = text.trim();
    if (spec.input === "names") return t ? t.split(";").map((s) => s.trim()).filter(Boolean) : [];
    if (!t) return null;
    if (spec.input === "number") {
      const n = Number(t);
      if (!Number.isFinite(n)) throw new Error("write a number");
      return n;
    }
    if (spec.input === "figure") {
      let m = t.match(/^(\d+)$/);
      if (m) return Number(m[1]);
      m = t.match(/^(\d+)\s*[-–]\s*(\d+)$/);
      if (m) return { low: Number(m[1]), best: Number(m[1]), high: Number(m[2]) };
      m = t.match(/^at least\s+(\d+)$/i);
      if (m) return { low: Number(m[1]), best: Number(m[1]), high: null };
      throw new Error("write a whole number (72), a range (70–80), “at least 72”, or leave it empty for none");
    }
    return t;
  }

  const HINTS = {
    choice: "One of the listed values.",
    text: "The right text; empty clears it where that is allowed.",
    date: "YYYY-MM-DD; empty for no date.",
    number: "Degrees; empty for none.",
    figure: "A whole number (72), a range (70–80) or “at least 72”; empty: no figure.",
    names: "Names separated by “;”; empty: none.",
  };

  // The form's current value of a field, as it would be typed.
  function currentText(spec, record) {
    let value = record;
    for (const part of spec.field.split(".")) value = value && typeof value === "object" ? value[part] : undefined;
    if (value === null || value === undefined) return "";
    if (spec.input === "names") return partyNames(value);
    if (spec.input === "figure") return figureText(value);
    return String(value);
  }

  function setUpCorrectionForm(specs) {
    const select = $("c-field");
    select.replaceChildren(...specs.map((s) => el("option", { value: s.field, text: s.field })));
    const byField = new Map(specs.map((s) => [s.field, s]));
    const describe = () => {
      const spec = byField.get(select.value);
      if (!spec || !state.record) return;
      $("c-choices").replaceChildren(...spec.choices.map((c) => el("option", { value: c })));
      const now = currentText(spec, state.record);
      $("c-current").textContent = `Now: ${now || "none"}`;
      $("c-value").value = now;
      $("c-hint").textContent = `${HINTS[spec.input] || ""} (${spec.help})`;
    };
    select.addEventListener("change", describe);
    state.describeField = describe;
    $("correction-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const spec = byField.get(select.value);
      const status = $("c-status");
      status.classList.remove("error");
      let value;
      try {
        value = parseValue(spec, $("c-value").value);
      } catch (err) {
        status.textContent = err.message;
        status.classList.add("error");
        return;
      }
      const body = { field: spec.field, value };
      const note = $("c-note").value.trim();
      const author = $("c-author").value.trim();
      if (note) body.note = note;
      if (author) body.author = author;
      $("c-save").disabled = true;
      status.textContent = "Saving…";
      try {
        await fetchJson(`/api/events/${encodeURIComponent(eventId)}/corrections`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify(body),
        });
        const data = await fetchJson(`/api/events/${encodeURIComponent(eventId)}/evidence`);
        drawEvent(data);
        $("c-note").value = "";
        status.textContent = `Saved: ${spec.field} now reads ${valueText(spec.field, correctedValue(data.event, spec.field))}.`;
        document.body.dataset.corrections = String((data.event.corrections || []).length);
      } catch (err) {
        status.textContent = `Not saved: ${err.message}`;
        status.classList.add("error");
      } finally {
        $("c-save").disabled = false;
      }
    });
    describe();
    document.body.dataset.correctionForm = "ready";
  }

  function correctedValue(record, field) {
    let value = record;
    for (const part of field.split(".")) value = value && typeof value === "object" ? value[part] : undefined;
    return value;
  }

  function drawSources(sources) {
    $("sources").replaceChildren(...sources.map((s) => {
      const parts = [el("span", { class: "role", text: s.role })];
      if (s.role === "reported by") {
        const title = s.title || "(untitled document)";
        parts.push(s.url ? el("a", { href: s.url, rel: "noreferrer noopener", text: title }) : el("span", { text: title }));
        const meta = [s.publisher, s.published].filter(Boolean).join(", ");
        if (meta) parts.push(el("span", { class: "muted", text: ` — ${meta}` }));
      } else {
        parts.push(el("span", { text: s.name || s.id || "unnamed party" }));
      }
      return el("li", { class: "source-item" }, ...parts);
    }));
  }

  function drawRelated(related) {
    const list = $("related");
    if (!related.length) {
      list.replaceChildren(el("li", { class: "muted", text: "No other sentence of the article names its place or actors." }));
      return;
    }
    list.replaceChildren(...related.map((r, i) => el("li", {},
      el("a", { href: `#related-${i + 1}`, text: r.text }),
      el("span", { class: "reasons", text: ` (${r.reasons.map((x) => REASONS[x] || x).join("; ")})` }))));
  }

  async function drawMap(record, config) {
    const loc = record.location || {};
    if (typeof loc.lat !== "number") return;
    $("where").hidden = false;
    const map = L.map("minimap", { zoomControl: true, attributionControl: true, scrollWheelZoom: false })
      .setView([loc.lat, loc.lon], 6);
    await window.sitrep.drawBasemap(map, { tileUrl: config.tile_url, admin1Url: config.admin1_basemap });
    L.circleMarker([loc.lat, loc.lon], {
      radius: 8, className: `sitrep-marker type-${record.event_type}`, color: "#1b1b1b", weight: 1,
      fillColor: window.sitrep.colourOf(record.event_type), fillOpacity: 0.9,
    }).addTo(map).bindTooltip(loc.name || "");
  }

  $("show-mentions").addEventListener("change", (event) => {
    document.body.classList.toggle("hide-mentions", !event.target.checked);
  });

  const state = { record: null, describeField: null };

  function drawEvent(data) {
    state.record = data.event;
    drawHead(data.event);
    drawFacts(data.event);
    drawFigures(data.figures, data.event);
    drawCorrections(data.event);
    if (state.describeField) state.describeField();
  }

  async function start() {
    let data;
    try {
      data = await fetchJson(`/api/events/${encodeURIComponent(eventId)}/evidence`);
    } catch (err) {
      showError(`Could not load event ${eventId}: ${err.message}`);
      $("event-head").replaceChildren(el("p", { text: "No event to show." }));
      document.body.dataset.loaded = "error";
      return;
    }
    drawEvent(data);
    drawDocument(data);
    drawSources(data.sources);
    document.body.dataset.corrections = String((data.event.corrections || []).length);
    fetchJson("/api/corrections/fields").then(setUpCorrectionForm)
      .catch((err) => showError(`Could not load the correction form: ${err.message}`));
    drawRelated(data.related);
    document.body.dataset.loaded = "event";
    const mark = document.getElementById("evidence");
    if (mark) mark.scrollIntoView({ block: "center" });
    let config = { tile_url: null, admin1_basemap: null };
    try {
      config = await fetchJson("/api/config");
    } catch (err) {
      // the page works without the map settings
    }
    const tiles = new URLSearchParams(window.location.search).get("tiles");
    if (tiles) config.tile_url = tiles;
    drawMap(data.event, config).catch((err) => showError(`Could not draw the map: ${err.message}`));
  }

  start();
})();
