"""Score the pipeline on MUC-4 wire reports against their answer-key templates.

The corpus (../shared/data/muc4, README there) gives one JSON line per document: `id`, `text`
(ALL CAPS, hard-wrapped, as in 1992), `published` and `templates`, each template an incident with
its type, `killed` and role fillers (PerpInd, PerpOrg, Target, Victim, Weapon), every filler an
entity given as a list of alternative mention strings. The README's "Scoring" section defines
what is computed here, and muc4.yaml holds every rule and word list it needs:

- a *relevant* event: an occurrence (`kind` == "occurrence") whose status happened (asserted,
  claimed) and whose type is violent (ASSAULT, an ACLED violent event type, looting/property
  destruction, or COERCE destroy/seize/abduct);
- (a) detection: does the document report at least one relevant incident (gold: any template);
- (b) role fillers at document level, each role pooled over the document's templates, matched as
  GTT does: normalised strings (lower case, no punctuation, no a/an/the), a gold entity matched at
  most once by any of its alternatives; strict = equal strings, relaxed = one contains the other
  token-wise; micro-averaged over the five roles; the fillers come from the relevant events'
  `perpetrators`, `victims`, `targets` and `weapons` (components/roles.py);
- (c) incident type on single-template documents, from the lead relevant event via the crosswalk;
- (d) killed exact on single-template documents (and on those whose key has deaths);
- (e) relevant events per document against templates per document.

Beside ours, the same measures for a keyword baseline (muc4.yaml `baseline`) that reads only the
raw text, so a reader sees whether the pipeline adds anything over word spotting.

Scoring is kept apart from running the pipeline (`score_predictions` takes (document, records)
pairs) so the unit tests exercise it on hand-written keys and responses.
"""

from __future__ import annotations

import re
import statistics
import string
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sitrep.evaluate.metrics import confusion, ratio, read_jsonl

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
Entity = tuple[str, ...]  # one gold filler: its alternative mention strings


@dataclass(frozen=True)
class Template:
    """One answer-key incident: its type, killed (None when the key's number is unknown) and fillers."""

    incident_type: str
    killed: int | None = None
    optional: bool = False
    roles: Mapping[str, tuple[Entity, ...]] = field(default_factory=dict)

    def types(self) -> frozenset[str]:
        """The key's type, split where it reads "attack / bombing" (either answer is right)."""
        return frozenset(t.strip() for t in self.incident_type.split("/") if t.strip())


@dataclass(frozen=True)
class Muc4Doc:
    """One document as the corpus gives it; `templates` is the gold, never shown to the pipeline."""

    id: str
    text: str
    published: date | None
    templates: tuple[Template, ...] = ()
    split: str | None = None  # GTT's split (train, dev, test): tune on train, report dev


# -- reading -------------------------------------------------------------------------------
def read_muc4(path: str | Path) -> Iterator[Muc4Doc]:
    """Documents in file order; a malformed line raises ValueError naming the line."""
    return read_jsonl(path, parse_doc)


def parse_doc(data: Mapping[str, Any]) -> Muc4Doc:
    published = data.get("published")
    return Muc4Doc(id=str(data["id"]), text=str(data["text"]),
                   published=date.fromisoformat(published) if published else None,
                   templates=tuple(parse_template(t) for t in data.get("templates") or ()),
                   split=str(data["split"]) if data.get("split") else None)


def parse_template(data: Mapping[str, Any]) -> Template:
    roles = {role: tuple(tuple(str(m) for m in entity) for entity in data.get(role) or () if entity)
             for role in ROLES}
    killed = data.get("killed")
    return Template(incident_type=str(data["incident_type"]), killed=int(killed) if killed is not None else None,
                    optional=bool(data.get("optional")), roles=roles)


@cache
def rules() -> dict[str, Any]:
    """muc4.yaml: relevance, the incident-type crosswalk, the role heads and the baseline's words."""
    from sitrep.knowledge.loader import data_file, load_yaml

    return load_yaml(data_file("muc4.yaml"))


# -- normalising and matching --------------------------------------------------------------
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans(string.punctuation, " " * len(string.punctuation))


def normalise(text: str) -> str:
    """GTT's (and SQuAD's) answer normalisation: lower case, punctuation out, a/an/the out, one space."""
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCT)).split())


def mention_matches(predicted: str, gold: str, *, strict: bool) -> bool:
    """Strict: equal after normalising. Relaxed: one's tokens appear as a run inside the other's."""
    p, g = normalise(predicted), normalise(gold)
    if not p or not g:
        return False
    if strict:
        return p == g
    return f" {p} " in f" {g} " or f" {g} " in f" {p} "


def match_role(predicted: Sequence[str], gold: Sequence[Entity], *, strict: bool) -> int:
    """How many gold entities a distinct predicted string matches (one-to-one, by any alternative).

    Greedy in order is enough here: a document's role has a handful of fillers, and the
    figures are micro-averaged over many documents (as GTT's scorer does).
    """
    used: set[int] = set()
    hits = 0
    for entity in gold:
        for i, text in enumerate(predicted):
            if i not in used and any(mention_matches(text, alt, strict=strict) for alt in entity):
                used.add(i)
                hits += 1
                break
    return hits


def gold_roles(doc: Muc4Doc) -> dict[str, list[Entity]]:
    """Each role's entities pooled over the document's templates, an entity repeated across templates once."""
    pooled: dict[str, list[Entity]] = {role: [] for role in ROLES}
    for template in doc.templates:
        for role in ROLES:
            for entity in template.roles.get(role, ()):
                forms = {normalise(m) for m in entity}
                if not any(forms & {normalise(m) for m in seen} for seen in pooled[role]):
                    pooled[role].append(entity)
    return pooled


# -- reading our records -------------------------------------------------------------------
def is_relevant(record: Mapping[str, Any], spec: Mapping[str, Any] | None = None) -> bool:
    """A violent occurrence that happened, as the README defines it (muc4.yaml `relevant`)."""
    spec = spec if spec is not None else rules()["relevant"]
    if record.get("kind", "occurrence") != "occurrence" or record.get("status") not in spec["statuses"]:
        return False
    acled = record.get("acled") or {}
    event_type, mode = record.get("event_type"), record.get("mode")
    return (event_type in spec.get("event_types", ())
            or acled.get("event_type") in spec.get("acled_event_types", ())
            or acled.get("sub_event_type") in spec.get("acled_sub_event_types", ())
            or any(event_type == tm["event_type"] and mode in tm["modes"] for tm in spec.get("type_modes", ())))


def relevant_events(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [r for r in records if is_relevant(r)]


def incident_type(record: Mapping[str, Any], spec: Mapping[str, Any] | None = None) -> str:
    """Our record's MUC-4 incident type by the crosswalk in muc4.yaml (first matching rule)."""
    spec = spec if spec is not None else rules()
    acled = record.get("acled") or {}
    fields = {"event_type": record.get("event_type"), "mode": record.get("mode"),
              "acled_event_type": acled.get("event_type"), "acled_sub_event_type": acled.get("sub_event_type")}
    for rule in spec["incident_types"]:
        if any(all(fields.get(k) == v for k, v in condition.items()) for condition in rule["any"]):
            return str(rule["incident_type"])
    return str(spec["default_incident_type"])


def killed(record: Mapping[str, Any] | None) -> int:
    value = ((record or {}).get("figures") or {}).get("killed")
    return int(value["best"]) if isinstance(value, Mapping) and value.get("best") is not None else 0


def lead(events: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The relevant event that speaks for a single-incident document: most killed, then first in the text."""
    if not events:
        return None
    return min(events, key=lambda r: (-killed(r), (r.get("evidence") or {}).get("start", 0)))


def _has_word(text: str, words: Iterable[str]) -> bool:
    padded = f" {normalise(text)} "
    return any(f" {w} " in padded for w in words)


def actor_role(actor: Mapping[str, Any], spec: Mapping[str, Any] | None = None) -> str:
    """PerpOrg for organisation-like actors (an organisation head word, or a named organisation), else PerpInd."""
    spec = spec if spec is not None else rules()
    if _has_word(str(actor.get("text") or ""), spec["organisation_heads"]):
        return "PerpOrg"
    name = str(actor.get("name") or "")
    if name and not any(re.search(p, name) for p in spec["generic_actor_names"]):
        return "PerpOrg"
    return "PerpInd"


def predicted_roles(events: Iterable[Mapping[str, Any]],
                    spec: Mapping[str, Any] | None = None) -> dict[str, list[str]]:
    """Each role's distinct filler strings (normalised) from the relevant events.

    A record with role fillers (the `roles` component: `perpetrators` by kind, `victims`, `targets`,
    `weapons`) gives them; an older record without those fields falls back to its actors (PerpOrg or
    PerpInd by `actor_role`) and recipients (Target when a physical head names them, else Victim).
    """
    spec = spec if spec is not None else rules()
    out: dict[str, list[str]] = {role: [] for role in ROLES}

    def add(role: str, text: str) -> None:
        norm = normalise(text)
        if norm and norm not in out[role]:
            out[role].append(norm)

    for record in events:
        if "perpetrators" in record:
            for filler in record.get("perpetrators") or ():
                add("PerpOrg" if filler.get("kind") == "organization" else "PerpInd", str(filler.get("text") or ""))
            for role, key in (("Victim", "victims"), ("Target", "targets"), ("Weapon", "weapons")):
                for filler in record.get(key) or ():
                    add(role, str(filler.get("text") or ""))
            continue
        for actor in [*(record.get("actors") or ()), *(record.get("claimed_by") or ())]:
            add(actor_role(actor, spec), str(actor.get("text") or ""))
        for recipient in record.get("recipients") or ():
            text = str(recipient.get("text") or "")
            add("Target" if _has_word(text, spec["physical_heads"]) else "Victim", text)
    return out


# -- the keyword baseline ------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """What one system says of one document: an incident or not, its type, killed, fillers, count."""

    detected: bool
    incident_type: str | None
    killed: int
    roles: Mapping[str, Sequence[str]]
    events: int


def baseline_reading(text: str, spec: Mapping[str, Any] | None = None) -> Reading:
    """The keyword baseline: word spotting on the raw text, no parse (muc4.yaml `baseline`).

    It says a document reports an incident when it names a violence word, types it by the first
    type whose word it names, fills each role with every listed word it names, and never states
    a death toll (killed 0).
    """
    spec = spec if spec is not None else rules()
    words = spec["baseline"]
    detected = _has_word(text, words["violence"])
    kind = next((t["incident_type"] for t in words["types"] if _has_word(text, t["words"])),
                spec["default_incident_type"])
    padded = f" {normalise(text)} "
    roles = {role: [w for w in words["roles"].get(role, ()) if f" {w} " in padded] if detected else []
             for role in ROLES}
    return Reading(detected=detected, incident_type=kind if detected else None, killed=0, roles=roles,
                   events=int(detected))


def pipeline_reading(records: Iterable[Mapping[str, Any]]) -> Reading:
    events = relevant_events(records)
    top = lead(events)
    return Reading(detected=bool(events), incident_type=incident_type(top) if top else None, killed=killed(top),
                   roles=predicted_roles(events), events=len(events))


# -- scoring -------------------------------------------------------------------------------
class _Tally:
    """Counts for one system over the documents, turned into the report's figures by `report`."""

    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0
        self.role: dict[str, dict[str, int]] = {r: {"pred": 0, "gold": 0, "strict": 0, "relaxed": 0} for r in ROLES}
        self.type_gold: list[str] = []
        self.type_pred: list[str] = []
        self.type_right: list[bool] = []
        self.killed_right: list[bool] = []
        self.killed_deaths_right: list[bool] = []
        self.events: list[int] = []

    def add(self, doc: Muc4Doc, reading: Reading, gold: Mapping[str, list[Entity]]) -> None:
        has_gold = bool(doc.templates)
        self.tp += reading.detected and has_gold
        self.fp += reading.detected and not has_gold
        self.fn += has_gold and not reading.detected
        for role in ROLES:
            predicted = list(reading.roles.get(role, ()))
            counts = self.role[role]
            counts["pred"] += len(predicted)
            counts["gold"] += len(gold[role])
            counts["strict"] += match_role(predicted, gold[role], strict=True)
            counts["relaxed"] += match_role(predicted, gold[role], strict=False)
        self.events.append(reading.events)
        if len(doc.templates) == 1:
            template = doc.templates[0]
            predicted_type = reading.incident_type or "none"
            self.type_gold.append(template.incident_type)
            self.type_pred.append(predicted_type)
            self.type_right.append(predicted_type in template.types())
            if template.killed is not None:
                self.killed_right.append(reading.killed == template.killed)
                if template.killed > 0:
                    self.killed_deaths_right.append(reading.killed == template.killed)

    def report(self) -> dict[str, Any]:
        precision, recall, f1 = prf(self.tp, self.tp + self.fp, self.tp + self.fn)
        per_role: dict[str, dict[str, Any]] = {}
        for role, c in self.role.items():
            p, r, f = prf(c["strict"], c["pred"], c["gold"])
            per_role[role] = {"strict_precision": p, "strict_recall": r, "strict_f1": f,
                              "relaxed_f1": prf(c["relaxed"], c["pred"], c["gold"])[2],
                              "predicted": c["pred"], "gold": c["gold"]}
        totals = {k: sum(c[k] for c in self.role.values()) for k in ("pred", "gold", "strict", "relaxed")}
        strict = prf(totals["strict"], totals["pred"], totals["gold"])
        relaxed = prf(totals["relaxed"], totals["pred"], totals["gold"])
        return {
            "detection_precision": precision, "detection_recall": recall, "detection_f1": f1,
            "roles_strict_precision": strict[0], "roles_strict_recall": strict[1], "roles_strict_f1": strict[2],
            "roles_relaxed_f1": relaxed[2],
            "incident_type_accuracy": ratio(sum(self.type_right), len(self.type_right)),
            "killed_exact": ratio(sum(self.killed_right), len(self.killed_right)),
            "killed_with_deaths_exact": ratio(sum(self.killed_deaths_right), len(self.killed_deaths_right)),
            "events_per_document_mean": statistics.fmean(self.events) if self.events else None,
            "events_per_document_median": statistics.median(self.events) if self.events else None,
            "per_role": per_role,
            "confusion": confusion(self.type_gold, self.type_pred),
            "detection_counts": {"tp": self.tp, "fp": self.fp, "fn": self.fn},
            "support": {"incident_type": len(self.type_right), "killed_exact": len(self.killed_right),
                        "killed_with_deaths": len(self.killed_deaths_right)},
        }


def prf(hits: int, predicted: int, gold: int) -> tuple[float | None, float | None, float | None]:
    """Precision, recall, F1; None where nothing was predicted / expected (F1 0 when both are 0)."""
    p, r = ratio(hits, predicted), ratio(hits, gold)
    if p is None or r is None:
        return p, r, None if p is None and r is None else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def score_predictions(pairs: Iterable[tuple[Muc4Doc, list[dict[str, Any]]]], *,
                      on_item: Callable[[], None] | None = None) -> dict[str, Any]:
    """Score (document, its event records) pairs for us and for the keyword baseline.

    `occurrence_events_per_document_mean` counts every reportable occurrence (violent or not, as
    `evaluate.articles.counted` defines it), beside the relevant events the measures use.
    """
    from sitrep.evaluate.articles import counted

    ours, baseline = _Tally(), _Tally()
    n = with_templates = templates = 0
    every: list[int] = []
    for doc, records in pairs:
        n += 1
        every.append(len(counted(records)))
        with_templates += bool(doc.templates)
        templates += len(doc.templates)
        gold = gold_roles(doc)
        ours.add(doc, pipeline_reading(records), gold)
        baseline.add(doc, baseline_reading(doc.text), gold)
        if on_item:
            on_item()
    report = ours.report()
    base = baseline.report()
    return report | {
        "documents": n,
        "documents_with_templates": with_templates,
        "templates_per_document_mean": ratio(templates, n),
        "occurrence_events_per_document_mean": statistics.fmean(every) if every else None,
        "baseline": {k: v for k, v in base.items() if k not in ("support", "per_role", "confusion")}
        | {"per_role": base["per_role"]},
    }


def score_muc4(pipeline: Any, docs: Iterable[Muc4Doc], *, on_item: Callable[[], None] | None = None,
               batch_size: int = 16) -> dict[str, Any]:
    """Run the pipeline on each document's text with its published date (never its templates) and score."""
    from sitrep.evaluate.batches import run_batches

    started = time.perf_counter()
    docs = list(docs)
    report = score_predictions(run_batches(pipeline, docs, lambda d: (d.text, d.published), batch_size=batch_size),
                               on_item=on_item)
    seconds = time.perf_counter() - started
    return report | {"seconds": seconds, "documents_per_second": len(docs) / max(seconds, 1e-9)}
