"""Score the pipeline against ACLED export rows: the `notes` text in, the coded fields expected out.

ACLED codes one event per row, while the pipeline may find several in a note ("clashed ... two
killed ... houses looted"). The event compared with the row is chosen the way a user would
choose without seeing the gold: among the asserted or claimed events, the one with the highest
ACLED precedence (the codebook's own aggregation rule: a Battle outranks the shelling in it),
the first in text order on a tie.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sitrep.evaluate.batches import run_batches
from sitrep.evaluate.metrics import accuracy, confusion, fold, haversine_km, macro_f1, ratio, weighted_f1

# ACLED's event and sub-event types in the codebook's precedence order (reference/ontology.md 3.1).
PRECEDENCE: tuple[tuple[str, str], ...] = (
    ("Battles", "Government regains territory"),
    ("Battles", "Non-state actor overtakes territory"),
    ("Battles", "Armed clash"),
    ("Protests", "Excessive force against protesters"),
    ("Protests", "Protest with intervention"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Violent demonstration"),
    ("Riots", "Mob violence"),
    ("Explosions/Remote violence", "Chemical weapon"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Suicide bomb"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Explosions/Remote violence", "Grenade"),
    ("Violence against civilians", "Sexual violence"),
    ("Violence against civilians", "Attack"),
    ("Violence against civilians", "Abduction/forced disappearance"),
    ("Strategic developments", "Agreement"),
    ("Strategic developments", "Arrests"),
    ("Strategic developments", "Change to group/activity"),
    ("Strategic developments", "Disrupted weapons use"),
    ("Strategic developments", "Headquarters or base established"),
    ("Strategic developments", "Looting/property destruction"),
    ("Strategic developments", "Non-violent transfer of territory"),
    ("Strategic developments", "Other"),
)
EVENT_TYPE_RANK = {event_type: i for i, (event_type, _) in reversed(list(enumerate(PRECEDENCE)))}
SUB_EVENT_RANK = {pair: i for i, pair in enumerate(PRECEDENCE)}
OCCURRED = ("asserted", "claimed")
NO_EVENT = "none"
UNMAPPED = "unmapped"
WITHIN_KM = 25.0

# ACLED inter codes from text labels, current ("State forces") and older ("Rebel Groups", "Communal Militia").
INTER_WORDS: tuple[tuple[str, int], ...] = (
    ("state", 1), ("rebel", 2), ("political militia", 3), ("identity militia", 4), ("communal militia", 4),
    ("ethnic militia", 4), ("rioter", 5), ("protester", 6), ("civilian", 7), ("external", 8),
    ("other forces", 8),
)
# Words that official admin1 names add around the name ACLED uses ("Estado do Rio de Janeiro").
ADMIN_FILLER = frozenset({
    "estado", "state", "province", "provincia", "region", "oblast", "governorate", "district", "county",
    "department", "departement", "autonomous", "republic", "of", "de", "do", "da", "del", "la", "le", "libre",
    "y", "soberano"})
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y", "%d-%m-%y", "%d %B %Y", "%d %b %Y",
                "%d-%b-%y", "%d-%b-%Y", "%d-%B-%Y", "%d-%B-%y", "%B %d %Y", "%b %d %Y", "%Y/%m/%d")


@dataclass(frozen=True)
class AcledRow:
    """The fields of one export row that the scorer compares; None where the file leaves them empty."""

    line: int
    text: str
    published: date | None
    event_type: str | None
    sub_event_type: str | None
    inter1: int | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    admin1: str | None
    fatalities: int | None
    country: str | None = None  # ISO3 when the export has it, else the country's name
    region: str | None = None  # ACLED's `region` column ("Eastern Africa"), for per-region scores


def parse_date(text: str | None) -> date | None:
    """ACLED dates as exports write them: ISO, dd/mm/yyyy, dd-mm-yyyy, '16 May 2025', '9-May-20'."""
    value = " ".join((text or "").replace(",", " ").split())
    if not value:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_inter(text: str | None) -> int | None:
    """An inter1/inter2 value, numeric ("1") or text ("State forces"); None when blank or unknown."""
    value = (text or "").strip().lower()
    if not value:
        return None
    if re.fullmatch(r"\d+(\.0)?", value):
        code = int(float(value))
        return code if 1 <= code <= 8 else None
    for word, code in INTER_WORDS:
        if word in value:
            return code
    return None


def read_acled(path: str | Path) -> Iterator[AcledRow]:
    """Rows with a note, in file order. Missing columns read as empty; rows without notes are skipped."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for line, raw in enumerate(csv.DictReader(fh), start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
            text = row.get("notes", "")
            if not text:
                continue
            yield AcledRow(
                line=line, text=text, published=parse_date(row.get("event_date")),
                event_type=row.get("event_type") or None, sub_event_type=row.get("sub_event_type") or None,
                inter1=parse_inter(row.get("inter1")), latitude=_float(row.get("latitude")),
                longitude=_float(row.get("longitude")), geo_precision=_int(row.get("geo_precision")),
                admin1=row.get("admin1") or None, fatalities=_int(row.get("fatalities")),
                country=row.get("iso3") or (row.get("iso") if not (row.get("iso") or "").isdigit() else None)
                or row.get("country") or None,
                region=row.get("region") or None,
            )


def choose_event(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The record compared with the row: the report's lead event.

    A report leads with its event and gives background after it (ACLED's notes do: "On <date>,
    X attacked Y ..." then context), so the earliest sentence holding an asserted or claimed event
    with an ACLED type is the note's event; within it, ACLED's precedence decides (an air strike
    during a battle is a battle). Events with no ACLED counterpart (talks, accusations) are chosen
    only when nothing with an ACLED type happened.
    """
    occurred = [r for r in records if r.get("status") in OCCURRED]
    if not occurred:
        return None
    mapped = [r for r in occurred if (r.get("acled") or {}).get("event_type")]
    pool = mapped or occurred
    lead = min(r["evidence"]["start"] for r in pool)
    return min((r for r in pool if r["evidence"]["start"] == lead), key=lambda r: (_rank(r), r["id"]))


# The lead-event order: ACLED's precedence, except that a riot reading beats a protest reading of the
# same sentence. A demonstration whose participants use violence is a riot (codebook), so "workers
# protested and clashed with police" is coded by the clash, not by the peaceful reading of the protest.
LEAD_ORDER: tuple[tuple[str, str], ...] = tuple(
    [p for p in PRECEDENCE if p[0] == "Battles"] + [p for p in PRECEDENCE if p[0] == "Riots"]
    + [p for p in PRECEDENCE if p[0] not in ("Battles", "Riots")])
LEAD_SUB_RANK = {pair: i for i, pair in enumerate(LEAD_ORDER)}
LEAD_TYPE_RANK = {event_type: i for i, (event_type, _) in reversed(list(enumerate(LEAD_ORDER)))}


def _rank(record: dict[str, Any]) -> int:
    acled = record.get("acled") or {}
    pair = (acled.get("event_type"), acled.get("sub_event_type"))
    if pair in LEAD_SUB_RANK:
        return LEAD_SUB_RANK[pair]  # type: ignore[index]
    return LEAD_TYPE_RANK.get(acled.get("event_type") or "", len(LEAD_ORDER))


def killed_total(records: list[dict[str, Any]]) -> int:
    """Deaths reported for the note: killed.best summed over asserted/claimed events, 0 if none.

    The same figure in the same sentence counts once: when a sentence holds two events ("attacked
    ... and clashed ..., killing 9"), both carry its "9", and those are the same nine people.
    """
    total = 0
    seen: set[tuple[int, int]] = set()
    for record in records:
        killed = (record.get("figures") or {}).get("killed") if record.get("status") in OCCURRED else None
        if not killed or killed.get("best") is None:
            continue
        key = ((record.get("evidence") or {}).get("start", -1), int(killed["best"]))
        if key in seen:
            continue
        seen.add(key)
        total += int(killed["best"])
    return total


@dataclass
class _Tally:
    """Parallel gold/prediction lists per field; rows enter a field only when the gold has it."""

    fields: dict[str, tuple[list[Any], list[Any]]]

    def add(self, field: str, gold: Any, predicted: Any) -> None:
        if gold is None:
            return
        golds, preds = self.fields.setdefault(field, ([], []))
        golds.append(gold)
        preds.append(predicted)

    def get(self, field: str) -> tuple[list[Any], list[Any]]:
        return self.fields.get(field, ([], []))

    def accuracy(self, field: str) -> float | None:
        return accuracy(*self.get(field))

    def n(self, field: str) -> int:
        return len(self.get(field)[0])


def predict_rows(pipeline: Any, rows: Iterable[AcledRow], *,
                 batch_size: int = 64) -> Iterator[tuple[AcledRow, list[dict[str, Any]]]]:
    """(row, the event records of its note), in file order."""
    return run_batches(pipeline, rows, lambda r: (r.text, r.published), batch_size=batch_size)


def score_acled(pipeline: Any, rows: Iterable[AcledRow], *, on_item: Callable[[], None] | None = None,
                batch_size: int = 64) -> dict[str, Any]:
    """Run the pipeline on each row's note and score the chosen event field by field."""
    started = time.perf_counter()
    report = score_pairs(predict_rows(pipeline, rows, batch_size=batch_size), on_item=on_item)
    return report | {"seconds": time.perf_counter() - started}


def score_pairs(pairs: Iterable[tuple[AcledRow, list[dict[str, Any]]]], *,
                on_item: Callable[[], None] | None = None) -> dict[str, Any]:
    """Score (row, its records) pairs already predicted: kept apart from the pipeline run so that one
    run can be scored whole and by region (evaluate.acled_groups) without extracting twice."""
    started = time.perf_counter()
    tally = _Tally({})
    n = without_event = 0
    for row, records in pairs:
        n += 1
        event = choose_event(records)
        without_event += event is None
        acled = (event or {}).get("acled") or {}
        location = (event or {}).get("location") or {}
        actors = (event or {}).get("actors") or []
        predicted_type = NO_EVENT if event is None else acled.get("event_type") or UNMAPPED
        predicted_sub = NO_EVENT if event is None else acled.get("sub_event_type") or UNMAPPED
        tally.add("event_type", row.event_type, predicted_type)
        tally.add("sub_event_type", row.sub_event_type, predicted_sub)
        tally.add("actor1_type", row.inter1, actors[0].get("acled_inter") if actors else None)
        if row.latitude is not None and row.longitude is not None:
            near = _within(location, row.latitude, row.longitude)
            tally.add("location", True, near)
            if row.geo_precision == 1:
                tally.add("location_precision1", True, near)
        if row.admin1:
            tally.add("admin1_strict", fold(row.admin1), fold(location.get("admin1")) or None)
            tally.add("admin1", True, admin1_matches(row.admin1, location.get("admin1"), row.country,
                                                     location.get("country")))
        tally.add("fatalities", row.fatalities, killed_total(records))
        tally.add("fatalities_event", row.fatalities,
                  killed_total([event]) if event else 0)
        tally.add("date", row.published.isoformat() if row.published else None, (event or {}).get("date"))
        if on_item:
            on_item()
    golds, preds = tally.get("sub_event_type")
    return {
        "n": n,
        "event_type_accuracy": tally.accuracy("event_type"),
        "sub_event_type_accuracy": tally.accuracy("sub_event_type"),
        "sub_event_type_weighted_f1": weighted_f1(golds, preds),
        "sub_event_type_macro_f1": macro_f1(golds, preds),
        "actor1_type_accuracy": tally.accuracy("actor1_type"),
        "location_within_25km": tally.accuracy("location"),
        "location_within_25km_precision1": tally.accuracy("location_precision1"),
        "admin1_accuracy": tally.accuracy("admin1"),
        "admin1_accuracy_strict": tally.accuracy("admin1_strict"),
        "fatalities_exact": tally.accuracy("fatalities"),
        "fatalities_exact_chosen_event": tally.accuracy("fatalities_event"),
        "date_exact": tally.accuracy("date"),
        "rows_without_event": ratio(without_event, n),
        "seconds": time.perf_counter() - started,
        "support": {field: tally.n(field) for field in (
            "event_type", "sub_event_type", "actor1_type", "location", "location_precision1", "admin1",
            "admin1_strict",
            "fatalities", "date")},
        "confusion": confusion(*tally.get("event_type")),
    }


def admin1_matches(gold: str, predicted: str | None, gold_country: str | None = None,
                   predicted_country: str | None = None) -> bool:
    """Whether the predicted admin1 is the gold unit: the same name once official filler is dropped,
    or the same gazetteer unit under another spelling.

    ACLED writes "Rio de Janeiro", "Odessa", "Kiev City", "Wardak" where GeoNames has "Estado do Rio
    de Janeiro", "Odesa", "Kyiv City", "Maidan Wardak": comparing strings counts right answers as
    wrong (that was the scorer's old `admin1_accuracy`, now `admin1_accuracy_strict`). The unit is
    what matters: the gold name is looked up among the admin1 units (of the gold country when the
    export names it) and matched by admin1 code against the units the predicted name denotes.
    """
    if not predicted:
        return False
    if fold(gold) == fold(predicted) or _same_core(gold, predicted):
        return True
    from sitrep.knowledge.gazetteer import get_gazetteer

    gazetteer = get_gazetteer()
    country = _iso3(gold_country) or predicted_country
    gold_units = {(p.country, p.admin1_code) for p in gazetteer.lookup(gold, limit=50)
                  if p.feature == "admin1" and (country is None or country in (p.country3, p.country))}
    if not gold_units:
        return False
    predicted_units = {(p.country, p.admin1_code) for p in gazetteer.lookup(predicted, limit=50)
                       if p.feature == "admin1"}
    return bool(gold_units & predicted_units) or any(
        _same_core(p.name, predicted) for p in gazetteer.lookup(gold, limit=50) if p.feature == "admin1")


# ISO3 codes retired by ISO 3166 that older exports still carry (Romania's ROM became ROU in 2002,
# Zaire's ZAR became COD in 1997); the gazetteer knows only the current codes.
RETIRED_ISO3 = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "YUG": "SRB"}


def _iso3(country: str | None) -> str | None:
    """An export's country as ISO3: the code itself, or looked up by name in the gazetteer."""
    if not country:
        return None
    if len(country) == 3 and country.isupper():
        return RETIRED_ISO3.get(country, country)
    from sitrep.knowledge.gazetteer import get_gazetteer

    found = [p for p in get_gazetteer().lookup(country) if p.feature == "country"]
    return found[0].country3 if found else None


def _same_core(a: str, b: str) -> bool:
    """The words of one name (filler dropped) contain the other's: "Veracruz" in "Estado ... Veracruz ..."."""
    core_a, core_b = (frozenset(fold(n).split()) - ADMIN_FILLER for n in (a, b))
    return bool(core_a and core_b) and (core_a <= core_b or core_b <= core_a)


def _within(location: dict[str, Any], lat: float, lon: float) -> bool:
    if location.get("lat") is None or location.get("lon") is None:
        return False
    return haversine_km(location["lat"], location["lon"], lat, lon) <= WITHIN_KM


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    value = _float(text)
    return int(value) if value is not None else None
