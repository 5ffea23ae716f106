"""The MUC-4 scorer on small keys and responses written for these tests (not cut from the corpus)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.evaluate.muc4 import (
    Muc4Doc,
    Template,
    actor_role,
    baseline_reading,
    gold_roles,
    incident_type,
    is_relevant,
    match_role,
    mention_matches,
    normalise,
    parse_doc,
    predicted_roles,
    read_muc4,
    score_predictions,
)


def record(event_type: str = "ASSAULT", *, mode: str | None = None, status: str = "asserted",
           kind: str = "occurrence", acled: tuple[str | None, str | None] = ("Battles", "Armed clash"),
           actors: list[dict[str, Any]] | None = None, recipients: list[dict[str, Any]] | None = None,
           killed: int | None = None, start: int = 0) -> dict[str, Any]:
    return {"event_type": event_type, "mode": mode, "status": status, "kind": kind,
            "acled": {"event_type": acled[0], "sub_event_type": acled[1]},
            "actors": actors or [], "recipients": recipients or [], "claimed_by": [],
            "figures": {"killed": {"best": killed} if killed is not None else None},
            "evidence": {"start": start}}


def template(kind: str = "attack", killed: int | None = 0, **roles: list[list[str]]) -> Template:
    return Template(incident_type=kind, killed=killed,
                    roles={role: tuple(tuple(e) for e in entities) for role, entities in roles.items()})


# A made-up report in the style of a 1980s wire story: the 1984 Brighton hotel bombing.
BRIGHTON = Muc4Doc(id="T-1", text="A BOMB EXPLODED AT THE GRAND HOTEL IN BRIGHTON, KILLING FIVE PEOPLE.",
                   published=date(1984, 10, 12),
                   templates=(template("bombing", killed=5, PerpOrg=[["irish republican army", "ira"]],
                                       Target=[["grand hotel"]], Weapon=[["bomb"]]),))
QUIET = Muc4Doc(id="T-2", text="THE CENTRAL BANK KEPT ITS INTEREST RATE UNCHANGED ON MONDAY.",
                published=date(1990, 1, 8))


def test_normalise_follows_gtt() -> None:
    assert normalise("The F.M.L.N.'s  urban commandos") == "f m l n s urban commandos"
    assert normalise("an  Army patrol") == "army patrol"
    assert normalise("theatre") == "theatre"  # "the" only as a whole word


def test_strict_and_relaxed_matching() -> None:
    assert mention_matches("The IRA", "ira", strict=True)
    assert not mention_matches("ira gunmen", "ira", strict=True)
    assert mention_matches("ira gunmen", "ira", strict=False)
    assert not mention_matches("iran", "ira", strict=False)  # token-wise, not character-wise
    assert not mention_matches("", "ira", strict=False)


def test_alternatives_match_one_entity_once() -> None:
    gold = [("irish republican army", "ira")]
    assert match_role(["ira"], gold, strict=True) == 1
    assert match_role(["irish republican army"], gold, strict=True) == 1
    # two strings for the same entity: one hit, the other string is a false positive
    assert match_role(["ira", "irish republican army"], gold, strict=True) == 1
    assert match_role(["provisionals"], gold, strict=True) == 0


def test_gold_roles_pool_templates_and_drop_repeats() -> None:
    doc = Muc4Doc(id="x", text="", published=None, templates=(
        template(PerpOrg=[["ira"]], Victim=[["airey neave"]]),
        template(PerpOrg=[["irish republican army", "ira"]], Victim=[["patrick mayhew"]]),
    ))
    pooled = gold_roles(doc)
    assert pooled["PerpOrg"] == [("ira",)]
    assert pooled["Victim"] == [("airey neave",), ("patrick mayhew",)]
    assert pooled["Weapon"] == []


def test_relevance_needs_a_violent_occurrence_that_happened() -> None:
    assert is_relevant(record())
    assert not is_relevant(record(status="planned"))
    assert not is_relevant(record(kind="background"))
    assert not is_relevant(record("PROTEST", acled=("Protests", "Peaceful protest")))
    assert is_relevant(record("COERCE", mode="abduct", acled=(None, None)))
    assert not is_relevant(record("COERCE", mode="arrest", acled=("Strategic developments", "Arrests")))


def test_incident_type_crosswalk() -> None:
    assert incident_type(record(mode="explosives", acled=("Explosions/Remote violence", "Remote explosive"))) \
        == "bombing"
    assert incident_type(record(mode="abduct", acled=("Violence against civilians",
                                                      "Abduction/forced disappearance"))) == "kidnapping"
    assert incident_type(record(mode="destroy", acled=("Strategic developments",
                                                       "Looting/property destruction"))) == "arson"
    assert incident_type(record("COERCE", mode="seize", acled=("Strategic developments",
                                                               "Looting/property destruction"))) == "robbery"
    assert incident_type(record("COERCE", mode="restrict", acled=(None, None))) == "forced work stoppage"
    assert incident_type(record(mode="firearms")) == "attack"


def test_actor_and_recipient_roles() -> None:
    assert actor_role({"text": "gunmen", "name": "Unidentified Armed Group (Spain)"}) == "PerpInd"
    assert actor_role({"text": "the army", "name": "Military Forces of Peru"}) == "PerpOrg"
    assert actor_role({"text": "ETA", "name": "ETA: Basque Homeland and Liberty"}) == "PerpOrg"
    roles = predicted_roles([record(actors=[{"text": "gunmen", "name": "Unidentified Armed Group (Spain)"}],
                                    recipients=[{"text": "the embassy building"}, {"text": "a judge"}])])
    assert roles["PerpInd"] == ["gunmen"]
    assert roles["Target"] == ["embassy building"]
    assert roles["Victim"] == ["judge"]
    assert roles["Weapon"] == []


def test_role_filler_fields_replace_actors_and_recipients() -> None:
    """A record from the roles component is read by its own fields: perpetrators by kind, victims,
    targets, weapons; its dictionary actors and recipients no longer fill roles."""
    filled = record(actors=[{"text": "the army", "name": "Military Forces of Peru"}],
                    recipients=[{"text": "civilians"}]) | {
        "perpetrators": [{"text": "Shining Path", "kind": "organization"}, {"text": "the terrorists",
                                                                              "kind": "individual"}],
        "victims": [{"text": "Mayor Jose Quispe"}], "targets": [{"text": "two power pylons"}],
        "weapons": [{"text": "dynamite"}, {"text": "Dynamite."}]}
    roles = predicted_roles([filled])
    assert roles == {"PerpOrg": ["shining path"], "PerpInd": ["terrorists"], "Victim": ["mayor jose quispe"],
                     "Target": ["two power pylons"], "Weapon": ["dynamite"]}
    empty = record(actors=[{"text": "gunmen", "name": "Unidentified Armed Group (Peru)"}]) | {"perpetrators": []}
    assert predicted_roles([empty])["PerpInd"] == []


def test_detection_counts_and_empty_templates() -> None:
    hit = record(mode="explosives", acled=("Explosions/Remote violence", "Remote explosive"), killed=5,
                 actors=[{"text": "IRA", "name": "Irish Republican Army"}],
                 recipients=[{"text": "the Grand Hotel"}])
    false_alarm = record(actors=[{"text": "troops", "name": "Military Forces of Spain"}])
    report = score_predictions([(BRIGHTON, [hit]), (QUIET, [false_alarm])])
    assert report["detection_counts"] == {"tp": 1, "fp": 1, "fn": 0}
    assert report["detection_precision"] == 0.5
    assert report["detection_recall"] == 1.0
    assert report["incident_type_accuracy"] == 1.0
    assert report["killed_exact"] == 1.0
    assert report["killed_with_deaths_exact"] == 1.0
    # PerpOrg "ira" and Target "grand hotel" right; "troops" (people, on the quiet document) a false PerpInd
    assert report["per_role"]["PerpOrg"]["strict_f1"] == 1.0
    assert report["per_role"]["PerpInd"]["predicted"] == 1
    assert report["per_role"]["PerpInd"]["strict_precision"] == 0.0
    assert report["per_role"]["Target"]["strict_f1"] == 1.0
    assert report["roles_strict_precision"] == pytest.approx(2 / 3)
    assert report["roles_strict_recall"] == pytest.approx(2 / 3)  # the weapon is missed
    assert report["events_per_document_mean"] == 1.0


def test_a_missed_document_counts_as_a_false_negative() -> None:
    report = score_predictions([(BRIGHTON, [record(status="hypothetical")]), (QUIET, [])])
    assert report["detection_counts"] == {"tp": 0, "fp": 0, "fn": 1}
    assert report["detection_f1"] == 0.0
    assert report["roles_strict_precision"] is None  # nothing predicted: no fake 0
    assert report["roles_strict_recall"] == 0.0
    assert report["confusion"] == {"bombing": {"none": 1}}


def test_attack_or_bombing_key_accepts_either() -> None:
    doc = Muc4Doc(id="x", text="", published=None, templates=(template("attack / bombing"),))
    bombing = record(mode="explosives", acled=("Explosions/Remote violence", "Remote explosive"))
    assert score_predictions([(doc, [bombing])])["incident_type_accuracy"] == 1.0


def test_keyword_baseline_reads_the_raw_text() -> None:
    reading = baseline_reading(BRIGHTON.text)
    assert reading.detected and reading.incident_type == "bombing"
    assert "bomb" in reading.roles["Weapon"]
    assert not baseline_reading(QUIET.text).detected
    report = score_predictions([(BRIGHTON, []), (QUIET, [])])
    assert report["baseline"]["detection_f1"] == 1.0
    assert report["baseline"]["per_role"]["Weapon"]["strict_f1"] == 1.0


def test_reading_the_file(tmp_path: Any) -> None:
    line = {"id": "T-1", "text": BRIGHTON.text, "published": "1984-10-12",
            "templates": [{"incident_type": "bombing", "killed": None, "optional": True,
                           "PerpOrg": [["ira"]], "Target": [], "Victim": [], "Weapon": [["bomb"]]}]}
    path = tmp_path / "k.jsonl"
    path.write_text(json.dumps(line) + "\n\n" + json.dumps(line | {"id": "T-2", "templates": []}) + "\n")
    docs = list(read_muc4(path))
    assert [d.id for d in docs] == ["T-1", "T-2"]
    assert docs[0].templates[0].killed is None and docs[0].templates[0].optional
    assert docs[0].templates[0].roles["PerpOrg"] == (("ira",),)
    assert docs[1].templates == ()
    with pytest.raises(KeyError):
        parse_doc({"text": "no id"})
    path.write_text("{not json\n")
    with pytest.raises(ValueError, match="k.jsonl:1"):
        list(read_muc4(path))


def test_eval_muc4_command_end_to_end(tmp_path: Any) -> None:
    """Two hand-written wire reports in 1992 style (capitals, hard-wrapped), through the real pipeline."""
    bombing = ("LONDON, 12 OCT 84 -- A BOMB EXPLODED EARLY TODAY AT THE GRAND HOTEL IN BRIGHTON,\n"
               "KILLING FIVE PEOPLE AND INJURING 31. POLICE SAID THE IRISH REPUBLICAN ARMY\n"
               "PLANTED THE BOMB.")
    budget = "PARIS, 8 JAN 90 -- THE CENTRAL BANK KEPT ITS INTEREST RATE UNCHANGED ON MONDAY."
    lines = [{"id": "T-1", "text": bombing, "published": "1984-10-12",
              "templates": [{"incident_type": "bombing", "killed": 5, "PerpOrg": [["irish republican army", "ira"]],
                             "Target": [["grand hotel"]], "Weapon": [["bomb"]]}]},
             {"id": "T-2", "text": budget, "published": "1990-01-08", "templates": [], "split": "dev"}]
    path = tmp_path / "keys.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "muc4", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 2 and report["documents_with_templates"] == 1
    assert report["detection_counts"]["fn"] == 0 and report["detection_recall"] == 1.0
    assert report["baseline"]["detection_f1"] == 1.0
    assert set(report["per_role"]) == {"PerpInd", "PerpOrg", "Target", "Victim", "Weapon"}
    limited = json.loads(CliRunner().invoke(main, ["eval", "muc4", str(path), "--limit", "1", "--json"]).stdout)
    assert limited["documents"] == 1 and limited["limit"] == 1
    dev = json.loads(CliRunner().invoke(main, ["eval", "muc4", str(path), "--split", "dev", "--json"]).stdout)
    assert dev["documents"] == 1 and dev["documents_with_templates"] == 0 and dev["split"] == "dev"
