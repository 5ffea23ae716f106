"""A synthetic store of event records for the API speed benchmark (bench/api_bench.py).

The records follow DESIGN.md section 4 exactly and go through the real write path
(`Store.add_documents`, so `flatten` validates every one), so the benchmark measures the tables
and indexes the product really has. Values are drawn from fixed lists with a seeded generator:
the same arguments give the same store. Place names are real (with their real coordinates, from
the project's own sample corpus); everything else (dates, actors, figures, texts) is invented and
says so in its title.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sitrep.store import open_store

# (country, admin1, admin1 P-code or None, place, lat, lon, weight). Weights make some countries
# far busier than others, as in real conflict data.
PLACES: tuple[tuple[str, str, str | None, str, float, float, int], ...] = (
    ("SYR", "Aleppo", "SY02", "Aleppo", 36.2012, 37.1612, 30),
    ("SYR", "Aleppo", "SY02", "Manbij", 36.5281, 37.9549, 6),
    ("SYR", "Aleppo", "SY02", "Jarabulus", 36.8175, 38.0115, 4),
    ("SYR", "Idleb", "SY07", "Idlib", 35.9306, 36.6339, 12),
    ("SYR", "Idleb", "SY07", "Khan Shaykhun", 35.4417, 36.6511, 5),
    ("SYR", "Rural Damascus", "SY03", "Douma", 33.5717, 36.4027, 10),
    ("SYR", "Rural Damascus", "SY03", "Madaya", 33.6903, 36.0975, 4),
    ("SYR", "Homs", "SY04", "Palmyra", 34.5560, 38.2673, 6),
    ("SYR", "Ar-Raqqa", "SY11", "Raqqa", 35.9528, 39.0079, 10),
    ("SYR", "Deir-ez-Zor", "SY09", "Deir ez-Zor", 35.3359, 40.1408, 8),
    ("IRQ", "Nineveh", None, "Mosul", 36.3350, 43.1189, 14),
    ("IRQ", "Anbar", None, "Fallujah", 33.3500, 43.7833, 6),
    ("UKR", "Donetsk", None, "Debaltseve", 48.3408, 38.4050, 8),
    ("UKR", "Donetsk", None, "Donetsk", 48.0230, 37.8022, 12),
    ("AFG", "Kunduz", None, "Kunduz", 36.7280, 68.8570, 8),
    ("AFG", "Helmand", None, "Lashkar Gah", 31.5938, 64.3716, 6),
    ("YEM", "Amanat Al Asimah", None, "Sanaa", 15.3547, 44.2067, 10),
    ("YEM", "Taizz", None, "Taiz", 13.5795, 44.0209, 6),
    ("NGA", "Borno", None, "Maiduguri", 11.8464, 13.1603, 8),
    ("MLI", "Bamako", None, "Bamako", 12.6392, -8.0029, 4),
    ("COD", "North Kivu", None, "Goma", -1.6792, 29.2228, 6),
    ("SOM", "Banaadir", None, "Mogadishu", 2.0371, 45.3438, 8),
    ("LBY", "Tripoli", None, "Tripoli", 32.8872, 13.1913, 5),
    ("SDN", "Khartoum", None, "Khartoum", 15.5518, 32.5324, 5),
)
COUNTRY_ONLY = {"SYR": "Syria", "IRQ": "Iraq", "UKR": "Ukraine", "AFG": "Afghanistan", "YEM": "Yemen"}

# (PLOVER type, mode, ACLED type, ACLED sub-type, CAMEO, quad, weight)
TYPES: tuple[tuple[str, str | None, str | None, str | None, str, int, int], ...] = (
    ("ASSAULT", "aerial", "Explosions/Remote violence", "Air/drone strike", "195", 4, 20),
    ("ASSAULT", "heavy-weapons", "Explosions/Remote violence", "Shelling/artillery/missile attack", "194", 4, 14),
    ("ASSAULT", "firearms", "Battles", "Armed clash", "190", 4, 16),
    ("ASSAULT", "explosives", "Explosions/Remote violence", "Remote explosive/landmine/IED", "183", 4, 5),
    ("COERCE", "restrict", "Strategic developments", "Other", "17", 4, 6),
    ("COERCE", "arrest", "Strategic developments", "Arrests", "173", 4, 4),
    ("PROTEST", "demo", "Protests", "Peaceful protest", "141", 3, 5),
    ("ACCUSE", "allege", None, None, "112", 3, 6),
    ("AID", None, None, None, "073", 2, 4),
    ("CONSULT", "meet", None, None, "040", 1, 5),
    ("AGREE", None, None, None, "030", 1, 3),
    ("RETREAT", "withdraw", "Strategic developments", "Non-violent transfer of territory", "087", 2, 3),
    ("THREATEN", None, None, None, "130", 3, 2),
    ("MOBILIZE", "troops", "Strategic developments", "Other", "152", 3, 2),
)
ACTORS: dict[str, tuple[tuple[str, str, str, int], ...]] = {
    # country -> (name, id, sector, ACLED inter code)
    "SYR": (("Military Forces of Syria (2000-)", "SYR_MIL", "MIL", 1),
            ("Islamic State (Syria)", "IS_SYR", "REB", 2), ("Syrian Democratic Forces", "SDF", "REB", 2)),
    "IRQ": (("Military Forces of Iraq (2014-)", "IRQ_MIL", "MIL", 1), ("Islamic State (Iraq)", "IS_IRQ", "REB", 2)),
    "UKR": (("Military Forces of Ukraine (2014-2019)", "UKR_MIL", "MIL", 1),
            ("DPR: Donetsk People's Republic", "DPR", "REB", 2)),
    "AFG": (("Taliban", "TALIBAN", "REB", 2), ("Military Forces of Afghanistan (2014-2021)", "AFG_MIL", "MIL", 1)),
    "YEM": (("Houthi Movement", "HOUTHI", "REB", 2), ("Saudi-led coalition", "SAU_COAL", "MIL", 8)),
}
OTHER_ACTORS = (("Unidentified Armed Group", "UAG", "REB", 3), ("Civilians", "CVL", "CVL", 7),
                ("Police Forces", "POL", "COP", 1), ("Protesters", "PRO", "OPP", 6))
STATUSES = (("asserted", 60), ("claimed", 25), ("denied", 5), ("planned", 4), ("hypothetical", 3), ("negated", 3))
FIGURE_KINDS = ("killed", "injured", "displaced", "besieged", "trapped", "detained", "strikes")
START = date(2015, 1, 1)
DAYS = 10 * 365


def _weighted(rng: random.Random, items: tuple[Any, ...], weight_index: int) -> Any:
    return rng.choices(items, weights=[item[weight_index] for item in items])[0]


def _party(country: str, entry: tuple[str, str, str, int]) -> dict[str, Any]:
    name, actor_id, sector, inter = entry
    return {"text": name, "name": name, "id": actor_id, "country": country, "sector": sector, "acled_inter": inter}


def _figure(rng: random.Random, scale: int) -> dict[str, Any]:
    best = max(1, int(rng.paretovariate(1.3) * scale) // 2)
    if rng.random() < 0.3:  # a range ("between 10 and 15") or a hedge ("at least")
        return {"low": best, "best": best, "high": best + rng.randint(1, best + 3), "hedge": "as many as"}
    return {"low": best, "best": best, "high": best, "hedge": None}


def synth_events(count: int, *, events_per_doc: int = 8, seed: int = 6) -> Iterator[tuple[dict, list[dict]]]:
    """(document, [records]) pairs totalling `count` events."""
    rng = random.Random(seed)
    made = 0
    doc_no = 0
    while made < count:
        doc_no += 1
        doc_id = f"{doc_no:016x}"
        n = min(events_per_doc, count - made)
        published = START + timedelta(days=rng.randrange(DAYS))
        sentences = []
        records = []
        offset = 0
        title = f"Synthetic report {doc_no} (generated for the benchmark)"
        for i in range(n):
            country, admin1, pcode, place, lat, lon, _ = _weighted(rng, PLACES, 6)
            event_type, mode, acled_type, acled_sub, cameo, quad, _ = _weighted(rng, TYPES, 6)
            status = rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]
            day = published - timedelta(days=rng.randrange(4))
            precise = rng.random() < 0.85
            actors_pool = ACTORS.get(country, ()) + OTHER_ACTORS
            actors = [_party(country, rng.choice(actors_pool))]
            recipients = [_party(country, rng.choice(actors_pool))] if rng.random() < 0.5 else []
            figures: dict[str, Any] = dict.fromkeys(FIGURE_KINDS)
            if event_type == "ASSAULT" and rng.random() < 0.35:
                figures["killed"] = _figure(rng, 6)
                if rng.random() < 0.5:
                    figures["injured"] = _figure(rng, 10)
            if event_type in ("COERCE", "RETREAT") and rng.random() < 0.2:
                figures["displaced"] = _figure(rng, 400)
            if event_type == "COERCE" and rng.random() < 0.2:
                figures["detained"] = _figure(rng, 8)
            text = f"Synthetic event {i} of report {doc_no}: {event_type.lower()} near {place} on {day}."
            start = offset
            end = start + len(text)
            sentences.append(text)
            offset = end + 1
            location = {
                "text": place if precise else COUNTRY_ONLY.get(country, place), "name": place if precise else
                COUNTRY_ONLY.get(country, place), "geonameid": None,
                "lat": round(lat + rng.uniform(-0.05, 0.05), 4) if precise else None,
                "lon": round(lon + rng.uniform(-0.05, 0.05), 4) if precise else None,
                "country": country, "admin1": admin1 if precise else None,
                "admin1_pcode": pcode if precise else None, "feature": "city" if precise else "country",
                "geo_precision": 1 if precise else None,
            }
            records.append({
                "id": f"{doc_id}-{start:x}", "doc_id": doc_id, "event_type": event_type, "mode": mode,
                "contexts": ["military"] if quad == 4 else [], "status": status,
                "actors": actors, "recipients": recipients,
                "claimed_by": [actors[0]] if status == "claimed" else [],
                "denied_by": [actors[0]] if status == "denied" else [],
                "date": day.isoformat(), "date_end": day.isoformat(), "time_precision": 1,
                "location": location, "figures": figures,
                "acled": {"event_type": acled_type, "sub_event_type": acled_sub}, "cameo": cameo, "quad": quad,
                "evidence": {"text": text, "start": start, "end": end, "section": "body"},
                "source": {"url": None, "title": title, "publisher": "sitrep bench",
                           "published": published.isoformat()},
                "confidence": round(rng.uniform(0.5, 0.98), 2),
            })
        made += n
        document = {
            "id": doc_id, "text": "\n".join(sentences),
            "source": {"url": None, "title": title, "publisher": "sitrep bench",
                       "published": published.isoformat(), "published_inferred": False, "path": None},
            "sections": [{"name": "body", "start": 0, "end": offset - 1, "label": None}],
            "notes": [], "mentions": [],
        }
        yield document, records


def build_store(path: Path, count: int, *, batch_documents: int = 5000, seed: int = 6) -> None:
    """Write a new store at `path` holding `count` synthetic events (replaces any file there)."""
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_store(path) as store:
        batch: list[tuple[dict, list[dict]]] = []
        for pair in synth_events(count, seed=seed):
            batch.append(pair)
            if len(batch) >= batch_documents:
                store.add_documents(batch)
                batch = []
        if batch:
            store.add_documents(batch)
        store._conn.execute("CHECKPOINT")
