"""The compiled gazetteer: name folding, transliteration variants, admin1 names and P-codes."""

import pytest

from sitrep.knowledge.gazetteer import distance_km, get_gazetteer, name_variants, normalize


@pytest.mark.parametrize(("raw", "folded"), [("Dar'ā", "dara"), ("Deir ez-Zor", "deir ez zor"), ("Ḩalab", "halab")])
def test_normalize_folds_diacritics_apostrophes_hyphens(raw: str, folded: str) -> None:
    assert normalize(raw) == folded


def test_arabic_article_variant() -> None:
    assert {"al bab", "bab"} <= name_variants("al-Bab")


@pytest.mark.parametrize("name", ["Aleppo", "Halab", "Alep"])
def test_aleppo_city_under_its_names(name: str) -> None:
    top = get_gazetteer().lookup(name, country="SYR")[0]
    assert top.geonameid == 170063 and top.feature == "city"
    assert distance_km(top.lat, top.lon, 36.2021, 37.1343) < 5


@pytest.mark.parametrize("name", ["Deraa", "Daraa", "Lattakia", "Latakia"])
def test_transliteration_variants_find_the_syrian_city(name: str) -> None:
    places = get_gazetteer().lookup(name, country="SY")
    assert places and places[0].country3 == "SYR"


def test_syrian_governorates_carry_ocha_pcodes() -> None:
    aleppo = [p for p in get_gazetteer().lookup("Aleppo") if p.feature == "admin1"]
    assert aleppo and aleppo[0].admin1_pcode == "SY02" and aleppo[0].geo_precision == 3


def test_country_has_no_point_precision() -> None:
    syria = get_gazetteer().country("SYR")
    assert syria is not None and syria.feature == "country"
    assert syria.as_location("Syria")["geo_precision"] is None
