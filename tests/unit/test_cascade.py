"""The opt-in parse cascade (components/cascade.py): offsets stay exact, flagged sentences get the
full parse, the others only entities and rough sentence marks."""

from __future__ import annotations

from sitrep.components.cascade import TriggerFlagger, cascade_parse, lemma_exceptions, rough_sentences, runs
from sitrep.components.sentences import _nlp

TEXT = (
    "Officials in Goma met donors on Monday. The weather was mild and the market was busy. "
    "Residents said the roads were open. Rebels shelled the village of Kibumba overnight, "
    "a spokesman said. The harvest in North Kivu was good this year.\n\n"
    "Schools in Kinshasa reopened."
)


def _flag() -> TriggerFlagger:
    return TriggerFlagger([("shell",), ("fight",), ("open", "fire")], lemma_exceptions(_nlp()))


def test_rough_sentences_tile_the_text() -> None:
    pieces = rough_sentences(TEXT)
    assert "".join(TEXT[a:b] for a, b in pieces) == TEXT
    assert [TEXT[a:b].split()[0] for a, b in pieces] == [
        "Officials", "The", "Residents", "Rebels", "The", "Schools"]


def test_flagger_reads_inflections_and_needs_every_word_of_a_trigger() -> None:
    flag = _flag()
    assert flag("Rebels shelled the village")
    assert flag("the shelling went on")
    assert flag("they fought for hours")  # irregular: the lemmatizer's exception table
    assert not flag("the roads were open")  # "open fire" needs both words
    assert flag("troops opened fire on the crowd")
    assert not flag("The harvest was good")


def test_runs_keep_the_flagged_sentence_its_neighbours_and_the_opening() -> None:
    plan = runs(TEXT, _flag(), context=1)
    hot = [TEXT[a:b] for a, b, h, _ in plan if h]
    cold = [TEXT[a:b] for a, b, h, _ in plan if not h]
    assert hot[0].startswith("Officials in Goma")
    assert any("Rebels shelled" in t and "Residents said" in t and "harvest" in t for t in hot)
    assert any("The weather was mild" in t for t in cold)
    assert [p[2] for p in runs(TEXT, _flag(), context=0)].count(True) == 2  # opening, and the flagged one


def test_cascade_parse_keeps_offsets_and_parses_the_flagged_sentence_whole() -> None:
    nlp = _nlp()
    sdoc, = cascade_parse(nlp, [TEXT], _flag(), context=0)
    plain = nlp(TEXT)
    assert sdoc.text == TEXT and len(sdoc) == len(plain)
    assert [t.idx for t in sdoc] == [t.idx for t in plain]
    shelled = next(t for t in sdoc if t.text == "shelled")
    assert shelled.lemma_ == "shell" and shelled.pos_ == "VERB"
    weather = next(t for t in sdoc if t.text == "weather")
    assert weather.pos_ == "" and weather.lemma_ == ""  # a cold sentence: no tagger, no lemmatizer
    assert {e.text for e in sdoc.ents} >= {"Goma", "Kinshasa"}  # entities everywhere
    starts = {s.start_char for s in sdoc.sents}
    assert {TEXT.index("The weather"), TEXT.index("Residents"), TEXT.index("Schools")} <= starts


def test_cascade_parse_of_an_all_flagged_text_is_the_plain_parse() -> None:
    nlp = _nlp()
    text = "Rebels shelled Kibumba. Troops fought back."
    sdoc, = cascade_parse(nlp, [text], _flag(), context=1)
    plain = nlp(text)
    assert [(t.text, t.pos_, t.dep_, t.head.i) for t in sdoc] == [(t.text, t.pos_, t.dep_, t.head.i) for t in plain]


def test_a_cascade_pipeline_finds_the_event_with_exact_evidence() -> None:
    from sitrep.pipeline import Pipeline, default_config, merge_config

    config = merge_config(default_config(), {"components": {"sentences": {"cascade": True, "cascade_context": 0}}})
    pipeline = Pipeline.from_config(config)
    assert pipeline.components[0].cascade
    doc = pipeline(TEXT)
    shelling = [e for e in doc.events if TEXT[e.trigger.start : e.trigger.end] == "shelled"]
    assert shelling, [TEXT[e.trigger.start : e.trigger.end] for e in doc.events]
    sentence = TEXT[shelling[0].sentence.start : shelling[0].sentence.end]
    assert sentence.startswith("Rebels shelled the village of Kibumba")
