"""Wire copy in capitals, hard-wrapped at about 72 columns, is read like ordinary news.

Every text here is written for this test, in the layout of 1980s-90s agency copy (an indented
dateline, a bracketed tag, two spaces after a full stop, a blank line between paragraphs).
"""

from __future__ import annotations

import pytest

import sitrep.components.sentences as sentences
from sitrep.adapt.truecase_train import build_table
from sitrep.components.truecase import get_truecaser
from sitrep.components.wirecopy import is_capitals, join_hard_wraps, parse_text
from sitrep.document import Document
from sitrep.parse_cache import ENV
from sitrep.pipeline import Pipeline

# made up, in the manner of a 1989 San Salvador agency report
BOMBING = """   SAN SALVADOR, 14 NOV 89 (RADIO CADENA) -- [TEXT] A CAR BOMB EXPLODED LAST
NIGHT OUTSIDE THE OFFICES OF THE NATIONAL TELEPHONE COMPANY IN SAN
SALVADOR, KILLING TWO SECURITY GUARDS AND WOUNDING FIVE PASSERSBY.  THE
ATTACK IS THE THIRD AGAINST PUBLIC BUILDINGS IN THE CAPITAL THIS WEEK.

   POLICE SOURCES SAID THE BOMB WAS PLANTED BY URBAN COMMANDOS WHO FLED
TOWARD THE SAN MARCOS AREA IN A STOLEN PICKUP TRUCK.  NO GROUP HAS
CLAIMED RESPONSIBILITY FOR THE ATTACK.
"""

IS_FIGHTERS = """   MOSUL, 3 JUL 16 (AGENCY) -- IS FIGHTERS ATTACKED AN ARMY CHECKPOINT
NEAR THE VILLAGE OF QAYYARAH SOUTH OF MOSUL YESTERDAY, KILLING FOUR
SOLDIERS, AN IRAQI OFFICER SAID.  THE OFFICER SAID THE CHECKPOINT HAD
BEEN REINFORCED TWO DAYS EARLIER AFTER A SIMILAR RAID.
"""

MIXED = (
    "Gunmen attacked a police post in the town of Bunia on Tuesday, killing two officers, the army said.\n\n"
    "The attack is the second on the post this month. A spokesman for the World Health Organization, "
    "who visited the hospital, said the wounded were being treated."
)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_config()


def _line_ends(text: str) -> set[int]:
    return {i for i, ch in enumerate(text) if ch == "\n"}


def test_wrapped_lines_are_joined_with_offsets_kept() -> None:
    joined = join_hard_wraps(BOMBING)
    assert len(joined) == len(BOMBING)
    assert "LAST NIGHT OUTSIDE" in joined and "IN SAN SALVADOR," in joined
    # the paragraph break (blank line, indented paragraph) stays
    assert "WEEK.\n\n   POLICE" in joined
    assert all(a == b or (a == "\n" and b == " ") for a, b in zip(BOMBING, joined, strict=True))


@pytest.mark.parametrize("text", [
    # a verse-like list of short lines: the next word would have fitted, so no wrapper broke there
    "Checkpoints closed today:\nKabul road\nJalalabad road\nthe old bridge\nthe airport gate\n",
    # a table with aligned columns
    "DISTRICT        KILLED   WOUNDED\nNORTH               12        30\nCENTRE               4         9\n"
    "SOUTH                0         2\n",
    # a paragraph a line, as scrapers write it
    "Rebels shelled the town on Monday.\nTwo civilians died in the shelling, local officials said on Tuesday.\n"
    "The army said it had pushed the rebels back.\n",
])
def test_lists_tables_and_paragraph_lines_are_not_joined(text: str) -> None:
    assert join_hard_wraps(text) == text


def test_sentences_do_not_break_at_line_ends(pipeline: Pipeline) -> None:
    doc = pipeline(BOMBING)
    inside = [s for s in doc.sentences if "\n" in BOMBING[s.start : s.end]]
    assert inside, "the wrapped sentences span line ends"
    for sent in doc.sentences:  # no sentence ends at a wrap in mid-sentence
        after = BOMBING[sent.end : sent.end + 1]
        if after == "\n" and sent.end + 1 < len(BOMBING) and BOMBING[sent.end + 1] != "\n":
            assert BOMBING[sent.end - 1] in ".!?", BOMBING[sent.start : sent.end]
    assert any("LAST\nNIGHT" in BOMBING[s.start : s.end] for s in doc.sentences)


def test_evidence_offsets_point_into_the_original(pipeline: Pipeline) -> None:
    doc = pipeline(BOMBING)
    assert doc.text == BOMBING
    assert doc.events
    triggers = {BOMBING[e.trigger.start : e.trigger.end] for e in doc.events}
    assert "EXPLODED" in triggers
    for event in doc.events:
        assert BOMBING[event.trigger.start : event.trigger.end].isupper()
        assert BOMBING[event.sentence.start : event.sentence.end].strip()


def _actor_texts(doc: Document) -> list[str]:
    return [str(a.get("text", "")) for e in doc.events for a in e.actors] + [
        m.text for m in doc.mentions if m.kind == "ACTOR"]


def test_the_verb_is_is_no_actor(pipeline: Pipeline) -> None:
    doc = pipeline(BOMBING)
    assert not [t for t in _actor_texts(doc) if t.lower() in ("is", "who")]
    parsed = parse_text(BOMBING)
    assert "THE\nATTACK IS THE THIRD" in BOMBING and "attack is the third" in parsed


def test_the_group_is_is_recognised(pipeline: Pipeline) -> None:
    doc = pipeline(IS_FIGHTERS)
    is_mentions = [m for m in doc.mentions if m.kind == "ACTOR" and IS_FIGHTERS[m.span.start : m.span.end] == "IS"]
    assert is_mentions
    assert "Islamic State" in str(is_mentions[0].norm)


@pytest.mark.parametrize(("capitals", "expected"), [
    ("THE ATTACK IS THE THIRD THIS WEEK", "The attack is the third this week"),
    ("IS FIGHTERS ATTACKED THE TOWN", "IS fighters attacked the town"),
    ("THE ISLAMIC STATE (IS) CLAIMED THE BOMBING", "The Islamic State (IS) claimed the bombing"),
    ("THE BOMBING IS CLAIMED BY NO ONE", "The bombing is claimed by no one"),
    ("GUNMEN WHO ATTACKED THE CLINIC FLED, THE WHO SAID", "Gunmen who attacked the clinic fled, the WHO said"),
    ("THEY TOLD US THAT US TROOPS HAD LEFT", "They told us that US troops had left"),
    ("ASKED ABOUT THE MAYOR, WHO SAID HE WAS SAFE", "Asked about the mayor, who said he was safe"),
    ("IN THE NORTH, IS FIGHTERS TOOK THE TOWN", "In the north, IS fighters took the town"),
    ("A CAR BOMB EXPLODED NEAR THE ARENA", "A car bomb exploded near the arena"),
    ("JOSE A. PEREZ, A U.S. CITIZEN, WAS FREED", "Jose A. Perez, a U.S. citizen, was freed"),
])
def test_acronyms_follow_their_context(capitals: str, expected: str) -> None:
    assert get_truecaser().truecase(capitals) == expected


def test_mixed_case_article_is_unchanged(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not is_capitals(MIXED)
    assert parse_text(MIXED) == MIXED

    def signature(doc: Document) -> list[tuple]:
        sdoc = doc.ext["spacy"]
        return ([(t.text, t.pos_, t.dep_, t.head.i, t.ent_type_) for t in sdoc]
                + [(e.event_type, e.trigger.start, e.trigger.end) for e in doc.events])

    with_step = signature(pipeline(MIXED))
    monkeypatch.setattr(sentences, "parse_text", lambda text: text)
    without_step = signature(pipeline(MIXED))
    assert with_step == without_step


def test_capitals_and_mixed_paragraphs_in_one_text() -> None:
    text = "Police said two men were arrested.\n\nTHE ARMY IS SEARCHING THE HILLS NEAR THE TOWN FOR THE REST."
    parsed = parse_text(text)
    assert parsed.startswith("Police said two men were arrested.")
    assert parsed.endswith("The army is searching the hills near the town for the rest.")


def test_parse_cache_keys_on_the_parsed_text(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, str(tmp_path / "parses.sqlite"))
    splitter = sentences.SentenceSplitter()
    splitter(Document(text=IS_FIGHTERS))
    cache = sentences.parse_cache(sentences._nlp())
    assert cache is not None
    assert cache.get_many([parse_text(IS_FIGHTERS)])[0] is not None
    assert cache.get_many([IS_FIGHTERS])[0] is None  # a different truecasing would miss, not reuse


def test_training_counts_casing_away_from_sentence_starts() -> None:
    texts = ["Rebels entered Paris on Monday. The mayor of Paris said the city was calm.",
             "Officials in Paris said the FMLN attack was over. They said the city was calm.",
             "The curfew in Paris ends at dawn, the FMLN said, and the FMLN rejected the curfew."]
    words, _ = build_table(texts, [("Usulutan", "place")])
    assert words["paris"] == "Paris" and words["fmln"] == "FMLN"
    assert "the" not in words and "city" not in words and "curfew" not in words
    assert words.get("usulutan") == "Usulutan"  # a name from the gazetteer with no text evidence


def test_train_truecase_command_writes_a_table_the_truecaser_reads(tmp_path) -> None:
    from click.testing import CliRunner

    from sitrep.cli import main
    from sitrep.components.truecase import load_truecaser

    notes = tmp_path / "notes.jsonl"
    rows = ["Fighters of the Zorvath Front attacked a post near Kelmora on Monday.",
            "Police said the Zorvath Front had attacked Kelmora twice before.",
            "Residents of Kelmora said the Zorvath Front withdrew at dawn."]
    notes.write_text("".join(f'{{"text": "{r}"}}\n' for r in rows), encoding="utf-8")
    out = tmp_path / "truecase.tsv"
    result = CliRunner().invoke(main, ["train", "truecase", str(notes), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = out.read_text(encoding="utf-8").splitlines()
    assert "Kelmora" in table and "Zorvath" in table and "attacked" not in table
    caser = load_truecaser(table=out)
    assert caser.truecase("THE ZORVATH FRONT SHELLED KELMORA") == "The Zorvath Front shelled Kelmora"
