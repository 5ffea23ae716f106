"""The event layer on sentences written for these tests: type, roles, place, date, status, claims."""

from __future__ import annotations

import pytest

RECORD_KEYS = {"id", "doc_id", "event_type", "mode", "contexts", "status", "actors", "recipients", "claimed_by",
               "denied_by", "date", "date_end", "time_precision", "location", "figures", "acled", "cameo", "quad",
               "evidence", "source", "confidence", "kind", "date_basis", "mentions", "perpetrators", "victims",
               "targets", "weapons"}

ALEPPO = ("Syrian government forces, backed by Russian air strikes, launched a major offensive near Aleppo on "
          "Monday, cutting the main rebel supply line into the city.")


def _one(records: list[dict], event_type: str) -> dict:
    found = [r for r in records if r["event_type"] == event_type]
    assert found, f"no {event_type} among {[r['event_type'] for r in records]}"
    return found[0]


def test_government_offensive_near_aleppo(extract) -> None:  # type: ignore[no-untyped-def]
    event = _one(extract(ALEPPO, "2016-02-04"), "ASSAULT")
    location = event["location"]
    assert location["geonameid"] == 170063 and location["geo_precision"] == 1
    assert (round(location["lat"], 1), round(location["lon"], 1)) == (36.2, 37.2)
    assert location["country"] == "SYR" and location["admin1"] == "Aleppo"
    assert [a["id"] for a in event["actors"]] == ["SYR_MIL"]
    assert event["date"] == "2016-02-01" and event["time_precision"] == 1
    assert event["status"] == "asserted"
    assert event["acled"]["event_type"] == "Battles"  # an air strike during a ground offensive is a battle
    assert event["quad"] == 4


def test_talks_in_astana_are_planned(extract) -> None:  # type: ignore[no-untyped-def]
    event = _one(extract("Peace talks between the two sides could start next week in Astana.", "2017-01-08"),
                 "CONSULT")
    assert event["status"] == "planned"
    assert event["location"]["name"] == "Astana" and event["location"]["country"] == "KAZ"
    assert event["date"] > "2017-01-08"


def test_every_record_has_every_key_and_true_offsets(extract) -> None:  # type: ignore[no-untyped-def]
    text = "Intro line.\n\n" + ALEPPO + " At least 12 civilians were killed in the shelling."
    records = extract(text, "2016-02-04")
    assert records
    for record in records:
        assert set(record) == RECORD_KEYS
        evidence = record["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]
        assert set(record["figures"]) >= {"killed", "injured", "displaced", "besieged", "trapped", "strikes"}


def test_according_to_a_monitor_is_a_claim_with_figures(extract) -> None:  # type: ignore[no-untyped-def]
    text = "Air strikes killed 12 civilians in Douma on Tuesday, according to the Syrian Observatory for Human Rights."
    event = _one(extract(text, "2016-02-04"), "ASSAULT")
    assert event["status"] == "claimed"
    assert [c["id"] for c in event["claimed_by"]] == ["SYR_SOHR"] or event["claimed_by"][0]["name"]
    assert event["figures"]["killed"]["best"] == 12
    assert event["mode"] == "aerial"
    assert event["acled"]["sub_event_type"] == "Air/drone strike"
    assert event["location"]["name"].lower().startswith("d")


def test_claim_then_denial(extract) -> None:  # type: ignore[no-untyped-def]
    text = ("Rebel groups have claimed that the Assad regime launched attacks in the Barada Valley. "
            "Assad has denied the accusation.")
    event = _one(extract(text, "2017-01-08"), "ASSAULT")
    assert event["status"] == "denied"
    assert event["claimed_by"] and "rebel" in event["claimed_by"][0]["text"].lower()
    assert [d["id"] for d in event["denied_by"]] == ["SYR_GOV"]
    assert event["location"]["name"] == "Barada Valley"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Government forces did not attack the town of Zabadani on Monday.", "negated"),
        ("If the offensive continues, rebels could be forced to withdraw from the city.", "hypothetical"),
        ("The army will launch an offensive on Raqqa next month.", "planned"),
        ("Government forces shelled Douma on Monday.", "asserted"),
    ],
)
def test_status(extract, text: str, status: str) -> None:  # type: ignore[no-untyped-def]
    records = extract(text, "2016-02-08")
    assert records and records[0]["status"] == status, records


def test_state_forces_abroad_are_external_forces(extract) -> None:  # type: ignore[no-untyped-def]
    event = _one(extract("Russian warplanes bombed Idlib on Sunday.", "2016-02-08"), "ASSAULT")
    assert event["actors"][0]["id"] == "RUS_MIL" and event["actors"][0]["acled_inter"] == 8
    assert event["location"]["country"] == "SYR"
