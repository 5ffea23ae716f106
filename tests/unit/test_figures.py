"""Figures: counts of people and strikes with their hedges, on real sentences."""

import pytest

from sitrep.components.figures import FigureExtractor, parse_number
from sitrep.components.sentences import SentenceSplitter
from sitrep.document import Document


@pytest.mark.parametrize(("text", "value"), [("400,000", 400000), ("1.5 million", 1500000),
                                             ("twenty-five", 25), ("12", 12), ("two hundred", 200)])
def test_parse_number(text: str, value: int) -> None:
    assert parse_number(text) == value


def _figures(text: str) -> list:
    doc = SentenceSplitter()(Document(text))
    return [m.norm["figure"] for m in FigureExtractor()(doc).mentions if m.kind == "FIGURE"]


@pytest.mark.parametrize(
    ("text", "kind", "low", "best", "high", "hedge"),
    [
        ("Some 70,000 civilians have fled north Aleppo.", "displaced", 70000, 70000, 70000, "some"),
        ("Air strikes hit the town, killing at least 12 civilians.", "killed", 12, 12, None, "at least"),
        ("There were as many as 200 airstrikes a day.", "strikes", None, 200, 200, "as many as"),
        ("Tens of thousands of people fled towards the border.", "displaced", 10000, 10000, None,
         "tens of thousands"),
        ("Dozens of fighters were wounded in the clashes.", "injured", 12, 12, None, "dozens"),
        ("The shelling killed 7 people and wounded 23.", "killed", 7, 7, 7, None),
        # joined counts of one kind add up
        ("Five soldiers and three rebels were killed in the clashes.", "killed", 8, 8, 8, None),
        ("Gunmen killed at least six Jesuit priests and two women.", "killed", 8, 8, None, "at least"),
    ],
)
def test_figure_kind_and_bounds(text: str, kind: str, low: int | None, best: int, high: int | None,
                                hedge: str | None) -> None:
    figures = [f for f in _figures(text) if f.kind == kind]
    assert figures, f"no {kind} figure in {text!r}: {_figures(text)}"
    figure = figures[0]
    assert (figure.low, figure.best, figure.high, figure.hedge) == (low, best, high, hedge)
    assert text[figure.span.start : figure.span.end] == figure.text


def test_years_and_ages_are_not_counts() -> None:
    assert _figures("In 2015 the war entered its fifth year.") == []


def _killed(extract, text: str, published: str = "2020-05-08") -> int:  # type: ignore[no-untyped-def]
    from sitrep.evaluate.acled import killed_total

    return killed_total(extract(text, published))


@pytest.mark.parametrize(("text", "killed"), [
    ("On 7 May 2020, in Aracaju, a man was killed by gunmen.", 1),
    ("On 7 May 2020, gunmen shot dead a man in Aracaju. 1 fatality.", 1),
    ("On 2 May 2020, militants attacked a convoy in Wardak, killing five soldiers. Fatalities coded as 0 "
     "(reported 5).", 0),
    ("On 8 May 2020, 8 militants were killed by air strikes in Kandahar. Fatalities are split across 2 events (4).", 4),
    ("On 8 May 2020, nine soldiers were killed in clashes in Tripoli. Fatalities split between two events.", 5),
    ("On 4 May 2020, militants attacked and fired at a patrol in Kupwara in which three soldiers were killed.", 3),
])
def test_note_conventions_and_single_victims(extract, text: str, killed: int) -> None:  # type: ignore[no-untyped-def]
    assert _killed(extract, text) == killed


@pytest.mark.parametrize(("text", "expected"), [
    ("The UN said on Tuesday that 20,000 civilians have fled Douma and 12,000 have fled Harasta since Sunday.",
     {("Douma", 20000), ("Harasta", 12000)}),
    ("More than 3,000 people fled Kafranbel, 2,500 fled Maarat al-Numan on Friday.",
     {("Kafr Nabl", 3000), ("Maarat al-Numan", 2500)}),
])
def test_each_clause_keeps_its_own_displacement_figure(extract, text: str, expected: set) -> None:  # type: ignore[no-untyped-def]
    records = [r for r in extract(text, "2018-03-01") if (r.get("figures") or {}).get("displaced")]
    got = {((r.get("location") or {}).get("name"), r["figures"]["displaced"]["best"]) for r in records}
    assert got == expected


def test_one_act_told_twice_in_a_sentence_stays_one_event(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("Government forces shelled and bombed Douma on Monday, killing 12 people.", "2018-03-01")
    assaults = [r for r in records if r["event_type"] == "ASSAULT"]
    assert len(assaults) == 1 and assaults[0]["figures"]["killed"]["best"] == 12


def test_killed_and_wounded_in_one_clause_pair_stay_one_event(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("An air strike on an army post killed 33 soldiers and wounded more than 30 in Idlib on Thursday.",
                      "2020-02-28")
    assaults = [r for r in records if r["event_type"] == "ASSAULT"]
    assert len(assaults) == 1
    assert assaults[0]["figures"]["killed"]["best"] == 33 and assaults[0]["figures"]["injured"]["best"] == 30


@pytest.mark.parametrize(("text", "killed"), [
    # the small model hangs these counts on "said"; the reported clause says what they count
    ("BEIRUT, April 5 -- A suspected chemical attack on the rebel-held town of Khan Shaykhun in Idlib province "
     "killed at least 72 people, including 20 children, the Syrian Observatory for Human Rights said on Wednesday, "
     "in one of the deadliest such incidents of the war.", 72),
    ("Local activists said more than two dozen civilians, among them several children, were killed in the air "
     "strikes on Rastan.", 24),
])
def test_a_count_hung_on_a_reporting_verb_takes_the_reported_kind(extract, text: str,  # type: ignore[no-untyped-def]
                                                                  killed: int) -> None:
    (record,) = [r for r in extract(text, "2017-04-05") if r["event_type"] == "ASSAULT"]
    assert record["figures"]["killed"]["best"] == killed


def test_a_headline_toll_yields_to_the_body_toll(extract) -> None:  # type: ignore[no-untyped-def]
    records = extract("Suspected chemical attack kills dozens in Idlib\n\nA suspected chemical attack on the town of "
                      "Khan Shaykhun killed at least 72 people, including 20 children, the Syrian Observatory for "
                      "Human Rights said on Wednesday.", "2017-04-05")
    assaults = [r for r in records if r["event_type"] == "ASSAULT" and r["kind"] == "occurrence"]
    assert [r["figures"]["killed"]["best"] for r in assaults] == [72]


@pytest.mark.parametrize(("text", "published", "killed"), [
    # a killing named by its act: the victims it names are its dead
    ("Gunmen murdered two American missionaries in La Paz on Wednesday.", "1989-05-26", 2),
    ("Colombia mourned the assassination of presidential candidate Luis Carlos Galán in Soacha on Friday.",
     "1989-08-20", 1),
    ("A former mayor of Medellín was shot to death by unidentified men on Tuesday.", "1989-10-10", 1),
    # wire copy in capitals: a full name the model does not label a person is still one
    ("MEDELLIN, 29 JUL 89 -- [TEXT] MARIA ELENA DIAZ, A JUDGE OF PUBLIC ORDER, WAS KILLED BY GUNMEN IN "
     "MEDELLIN YESTERDAY.", "1989-07-29", 1),
    # tried, not done: no dead
    ("Police are investigating the attempted murder of a judge in Medellín on Monday.", "1989-10-10", 0),
])
def test_killings_named_by_their_act_count_their_victims(extract, text: str, published: str,  # type: ignore[no-untyped-def]
                                                         killed: int) -> None:
    assert _killed(extract, text, published) == killed


def test_a_toll_over_years_is_no_figure_and_a_comparison_keeps_its_count() -> None:
    assert not [f for f in _figures("More than 7,000 people have died in El Salvador during ten years of civil war.")
                if f.kind == "killed"]
    assert not [f for f in _figures("It is a war that has left 70,000 dead in nine years.") if f.kind == "killed"]
    kept = [f.best for f in _figures("The bombing, the deadliest since 2011, killed 12 people.") if f.kind == "killed"]
    assert kept == [12]
    assert not [f for f in _figures("A court in Lima sentenced him to death.") if f.kind == "killed"]
    assert not [f for f in _figures("The fighting has left 2,000 dead in the past month.") if f.kind == "killed"]


def test_a_count_of_those_who_did_it_is_no_toll() -> None:
    assert [(f.kind, f.best) for f in _figures("Six priests were murdered by 30 men in uniform.")] == [("killed", 6)]
