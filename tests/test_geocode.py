"""The offline geocoder: gazetteer build, name spellings, mention finding and disambiguation."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimline.errors import InputError
from claimline.geocode import GazetteerGeocoder
from claimline.geocode.admin1 import load_subdivisions
from claimline.geocode.dump import import_geonames_dump
from claimline.geocode.gazetteer import (
    Gazetteer,
    cache_path,
    default_cache_dir,
    forget_oldest,
    geonames_admin1_mapping,
)
from claimline.geocode.geocoder import NEIGHBOURS_EACH_SIDE, _named_beside
from claimline.geocode.katottg import oblast_iso_codes, read_register
from claimline.geocode.names import news_variants, register_spellings, ukrainian_latin
from claimline.geocode.places_out import place_records
from claimline.model import Article, Location, PlaceMention, Sentence
from claimline.stages import Geocoder
from doubles import stop_sentences


@pytest.fixture(scope="session")
def geocoder() -> Iterator[GazetteerGeocoder]:
    """One geocoder, and so one gazetteer build, for the whole session."""
    g = GazetteerGeocoder()
    yield g
    g.gazetteer.close()


def _places(geocoder: GazetteerGeocoder, text: str) -> dict[str, Location | None]:
    mentions = geocoder.places(Article("t", text), stop_sentences(text))
    return {m.text: m.location for m in mentions}


def _located(geocoder: GazetteerGeocoder, text: str) -> dict[str, Location]:
    return {k: v for k, v in _places(geocoder, text).items() if v is not None}


# ------------------------------------------------------------------ names


def test_official_ukrainian_transliteration_follows_kmu_2010() -> None:
    assert ukrainian_latin("Перебудова") == "Perebudova"
    assert ukrainian_latin("Червона Зірка") == "Chervona Zirka"
    assert ukrainian_latin("Новоукраїнка") == "Novoukrainka"
    assert ukrainian_latin("Зоря") == "Zoria"
    assert ukrainian_latin("Згорани") == "Zghorany"
    assert ukrainian_latin("Юрівка") == "Yurivka"


def test_news_spellings_include_russian_derived_forms() -> None:
    assert "zorya" in news_variants("Zoria")
    assert {"novoselivskoye", "novoselivskoe"} <= news_variants("Novoselivske")
    assert "krasna gora" in news_variants("Krasna Hora")
    assert "khmelnytsky" in news_variants("Khmelnytskyi")


def test_soft_sign_before_o_is_also_spelt_io() -> None:
    assert "verkhniokamianske" in register_spellings("Верхньокам'янське")


# ------------------------------------------------------------------ gazetteer build


def test_register_oblast_codes_map_to_iso_by_name() -> None:
    codes = oblast_iso_codes(read_register(), load_subdivisions())
    by_prefix = {katottg_id[:4]: iso for katottg_id, iso in codes.items()}
    assert by_prefix["UA14"] == "UA-14"  # Donetsk: same digits
    assert by_prefix["UA01"] == "UA-43"  # Crimea: different digits
    assert by_prefix["UA44"] == "UA-09"  # Luhansk: different digits
    assert by_prefix["UA80"] == "UA-30"  # Kyiv city
    assert by_prefix["UA85"] == "UA-40"  # Sevastopol
    assert len(codes) == 27


UA_GEONAMES_ADMIN1 = {
    "01": "UA-71", "02": "UA-74", "03": "UA-77", "04": "UA-12", "05": "UA-14", "06": "UA-26",
    "07": "UA-63", "08": "UA-65", "09": "UA-68", "10": "UA-35", "11": "UA-43", "12": "UA-30",
    "13": "UA-32", "14": "UA-09", "15": "UA-46", "16": "UA-48", "17": "UA-51", "18": "UA-53",
    "19": "UA-56", "20": "UA-40", "21": "UA-59", "22": "UA-61", "23": "UA-05", "24": "UA-07",
    "25": "UA-21", "26": "UA-23", "27": "UA-18",
}
RU_GEONAMES_ADMIN1 = {
    "01": "RU-AD", "03": "RU-AL", "04": "RU-ALT", "05": "RU-AMU", "06": "RU-ARK", "07": "RU-AST",
    "08": "RU-BA", "09": "RU-BEL", "10": "RU-BRY", "11": "RU-BU", "12": "RU-CE", "13": "RU-CHE",
    "15": "RU-CHU", "16": "RU-CU", "17": "RU-DA", "19": "RU-IN", "20": "RU-IRK", "21": "RU-IVA",
    "22": "RU-KB", "23": "RU-KGD", "24": "RU-KL", "25": "RU-KLU", "27": "RU-KC", "28": "RU-KR",
    "29": "RU-KEM", "30": "RU-KHA", "31": "RU-KK", "32": "RU-KHM", "33": "RU-KIR", "34": "RU-KO",
    "37": "RU-KOS", "38": "RU-KDA", "40": "RU-KGN", "41": "RU-KRS", "42": "RU-LEN", "43": "RU-LIP",
    "44": "RU-MAG", "45": "RU-ME", "46": "RU-MO", "47": "RU-MOS", "48": "RU-MOW", "49": "RU-MUR",
    "50": "RU-NEN", "51": "RU-NIZ", "52": "RU-NGR", "53": "RU-NVS", "54": "RU-OMS", "55": "RU-ORE",
    "56": "RU-ORL", "57": "RU-PNZ", "59": "RU-PRI", "60": "RU-PSK", "61": "RU-ROS", "62": "RU-RYA",
    "63": "RU-SA", "64": "RU-SAK", "65": "RU-SAM", "66": "RU-SPE", "67": "RU-SAR", "68": "RU-SE",
    "69": "RU-SMO", "70": "RU-STA", "71": "RU-SVE", "72": "RU-TAM", "73": "RU-TA", "75": "RU-TOM",
    "76": "RU-TUL", "77": "RU-TVE", "78": "RU-TYU", "79": "RU-TY", "80": "RU-UD", "81": "RU-ULY",
    "83": "RU-VLA", "84": "RU-VGG", "85": "RU-VLG", "86": "RU-VOR", "87": "RU-YAN", "88": "RU-YAR",
    "89": "RU-YEV", "90": "RU-PER", "91": "RU-KYA", "92": "RU-KAM", "93": "RU-ZAB",
}


def test_geonames_admin1_codes_map_to_iso_for_ukraine_and_russia(geocoder: GazetteerGeocoder) -> None:
    mapping = geonames_admin1_mapping(geocoder.gazetteer.path)
    assert {a: iso for (c, a), iso in mapping.items() if c == "UA"} == UA_GEONAMES_ADMIN1
    assert {a: iso for (c, a), iso in mapping.items() if c == "RU"} == RU_GEONAMES_ADMIN1


def test_cached_gazetteer_opens_in_well_under_a_second(geocoder: GazetteerGeocoder) -> None:
    directory = geocoder.gazetteer.path.parent
    started = time.perf_counter()
    gazetteer = Gazetteer.open(directory)
    gazetteer.lookup(["kyiv"])
    assert time.perf_counter() - started < 0.5
    gazetteer.close()


def test_village_without_own_coordinates_is_placed_at_its_hromada_centre(geocoder: GazetteerGeocoder) -> None:
    matches = geocoder.gazetteer.lookup(["perebudova"])["perebudova"]
    donetsk = next(m.place for m in matches if m.place.admin1_iso == "UA-14")
    assert donetsk.precision == "admin2"
    assert "hromada centre" in donetsk.placement
    assert donetsk.lat is not None and 47 < donetsk.lat < 49


def test_country_is_placed_at_the_middle_of_its_main_landmass(geocoder: GazetteerGeocoder) -> None:
    ukraine = geocoder.country("UA")
    assert ukraine is not None
    assert ukraine.geo_precision == "country"
    assert ukraine.lat is not None and ukraine.lon is not None
    assert 47 < ukraine.lat < 50 and 30 < ukraine.lon < 35
    france = geocoder.country("FR")  # overseas regions would pull the middle into the ocean
    assert france is not None and france.lat is not None and france.lon is not None
    assert 44 < france.lat < 48.5 and 0 < france.lon < 5, france.reason
    assert "main landmass" in france.reason
    assert geocoder.country("XX") is None


def test_country_whose_populated_land_lies_off_centre_takes_its_conventional_point(
    geocoder: GazetteerGeocoder,
) -> None:
    russia = geocoder.country("RU")  # towns crowd the west; the conventional point is in Siberia
    assert russia is not None and russia.lat is not None and russia.lon is not None
    assert (russia.lat, russia.lon) == (60.0, 100.0)
    assert "conventional point (countryinfo)" in russia.reason


def test_holy_see_names_the_vatican(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "The envoy to the Holy See was honoured.")
    assert found["Holy See"].country_code == "VA"


def test_two_word_demonyms_stand_for_their_own_country(geocoder: GazetteerGeocoder) -> None:
    wide = GazetteerGeocoder(cache_dir=str(geocoder.gazetteer.path.parent), include_demonyms=True)
    found = _located(wide, "Korean and North Korean envoys met North American traders.")
    wide.gazetteer.close()
    assert found["Korean"].country_code == "KR"
    assert found["North Korean"].country_code == "KP"
    assert found["North American"].feature == "continent"


def test_cache_dir_expands_the_home_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_path("~/.cache/claimline") == tmp_path / ".cache" / "claimline"
    monkeypatch.setenv("CLAIMLINE_CACHE_DIR", "~/elsewhere")
    assert default_cache_dir() == tmp_path / "elsewhere"


def test_memories_kept_across_documents_forget_their_oldest_half() -> None:
    remembered = {f"key{i}": i for i in range(10)}
    forget_oldest(remembered)
    assert list(remembered) == [f"key{i}" for i in range(5, 10)]


def test_geocoder_satisfies_the_stage_protocol(geocoder: GazetteerGeocoder) -> None:
    assert isinstance(geocoder, Geocoder)


# ------------------------------------------------------------------ mentions and ranking


def test_region_named_after_a_list_places_every_village_in_it(geocoder: GazetteerGeocoder) -> None:
    found = _located(
        geocoder,
        "The ministry said its forces had taken the villages of Zaporizhzhia, Perebudova, Shevchenko "
        "and Yalta in Donetsk on June 27.",
    )
    for name in ("Zaporizhzhia", "Perebudova", "Shevchenko", "Yalta"):
        assert found[name].admin1_iso == "UA-14", (name, found[name].reason)
        assert "named after the list" in found[name].reason
    assert found["Donetsk"].geo_precision == "admin1"


def test_villages_named_together_prefer_a_shared_hromada(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Fighting went on near Perebudova and Shevchenko.")
    assert found["Shevchenko"].admin1_iso == "UA-14"
    assert "same hromada as Perebudova" in found["Shevchenko"].reason


def test_in_a_long_list_a_village_is_placed_by_the_names_beside_it(geocoder: GazetteerGeocoder) -> None:
    cities = ["Kharkiv", "Sumy", "Odesa", "Kherson", "Nikopol", "Izmail", "Dnipro", "Poltava", "Chernihiv", "Lviv"]
    found = _located(geocoder, f"Fighting went on near {', '.join(cities * 4)}, Perebudova and Shevchenko.")
    assert found["Shevchenko"].admin1_iso == "UA-14"
    assert "same hromada as Perebudova" in found["Shevchenko"].reason


def test_a_name_weighs_only_the_names_nearest_it_in_a_list() -> None:
    names = list(range(100))
    beside = _named_beside(names, 50)
    assert beside == (*range(50 - NEIGHBOURS_EACH_SIDE, 50), *range(51, 51 + NEIGHBOURS_EACH_SIDE))
    assert _named_beside(names, 0) == tuple(range(1, 1 + NEIGHBOURS_EACH_SIDE))
    assert _named_beside([7, 8], 1) == (7,)


def test_region_word_gives_a_subdivision(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Drones struck the Sumy region overnight.")
    assert found["Sumy"].geo_precision == "admin1"
    assert found["Sumy"].admin1_iso == "UA-59"


def test_list_of_oblasts_names_regions_not_cities(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Hits were reported in the Rivne, Dnipropetrovsk and Poltava oblasts.")
    assert {found[n].admin1_iso for n in ("Rivne", "Dnipropetrovsk", "Poltava")} == {"UA-56", "UA-12", "UA-53"}
    assert all(found[n].geo_precision == "admin1" for n in ("Rivne", "Dnipropetrovsk", "Poltava"))


def test_occupation_names_resolve_to_their_oblasts(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Pasechnik said the Luhansk People's Republic was taken. The DPR disagreed.")
    assert found["Luhansk People's Republic"].admin1_iso == "UA-09"
    assert found["DPR"].admin1_iso == "UA-14"


def test_sevastopol_is_its_own_subdivision(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "A missile hit the fleet headquarters in Sevastopol.")
    assert found["Sevastopol"].admin1_iso == "UA-40"


def test_russian_spelling_of_a_ukrainian_village_is_found(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Troops raised a flag over the village of Zorya in the Donetsk region.")
    assert found["Zorya"].admin1_iso == "UA-14"


def test_former_name_finds_the_renamed_village(geocoder: GazetteerGeocoder) -> None:
    found = _located(
        geocoder, "Forces took Perebudova in Donetsk and moved on to Chervona Zirka the following day."
    )
    assert found["Chervona Zirka"].admin1_iso == "UA-14"
    assert found["Chervona Zirka"].name == "Chervona Zirka"
    assert "former name" in found["Chervona Zirka"].reason


def test_facility_word_keeps_the_town_name(geocoder: GazetteerGeocoder) -> None:
    mentions = geocoder.places(Article("t", "Drones struck the Kirovske airfield."), stop_sentences(
        "Drones struck the Kirovske airfield."))
    assert [m.text for m in mentions] == ["Kirovske"]
    assert mentions[0].location is not None and mentions[0].location.country_code == "UA"


def test_possessive_country_owns_the_place_after_it(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Strikes destroyed jets at Russia's Marinovka airbase.")
    assert found["Marinovka"].country_code == "RU"


def test_unlisted_name_in_a_listed_region_is_placed_in_that_region(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Fragments were found in the localities of Nufaru and Victoria in Tulcea county.")
    assert found["Nufaru"].admin1_iso == "RO-TL"
    assert found["Victoria"].admin1_iso == "RO-TL"


def test_months_weekdays_and_demonyms_are_not_places(geocoder: GazetteerGeocoder) -> None:
    found = _places(geocoder, "In May, Russian and Ukrainian troops fought on Sunday. March was quiet.")
    assert found == {}


def test_person_sharing_a_place_name_is_not_a_place(geocoder: GazetteerGeocoder) -> None:
    text = (
        "President Vladimir Putin spoke. The expert Victoria Vdovychenko told Al Jazeera. "
        "Alexei Smirnov agreed."
    )
    assert _places(geocoder, text) == {}


def test_organisation_is_not_a_place(geocoder: GazetteerGeocoder) -> None:
    assert _places(geocoder, "The National Security Council met on Friday.") == {}


def test_countries_are_found(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Ukraine and Russia met in Turkey.")
    assert {n: loc.country_code for n, loc in found.items()} == {"Ukraine": "UA", "Russia": "RU", "Turkey": "TR"}
    assert all(loc.geo_precision == "country" for loc in found.values())


def test_offsets_point_into_the_article_and_skip_furniture(geocoder: GazetteerGeocoder) -> None:
    text = "Advertisement Kharkiv\nShelling hit Kharkiv."
    sentences = [Sentence(0, 0, 21, text[:21], furniture=True), Sentence(1, 22, len(text), text[22:])]
    mentions = geocoder.places(Article("t", text), sentences)
    assert [(m.start, m.end, text[m.start : m.end]) for m in mentions] == [(35, 42, "Kharkiv")]


def test_every_resolved_place_carries_a_reason(geocoder: GazetteerGeocoder) -> None:
    text = "Shelling hit Kharkiv, Izmail and the village of Dachne in Dnipropetrovsk region."
    mentions = geocoder.places(Article("t", text), stop_sentences(text))
    assert mentions and all(m.location is not None and m.location.reason for m in mentions)


def test_place_records_flatten_mentions() -> None:
    location = Location("Kyiv", "UA", "point", admin1_iso="UA-30", lat=50.45, lon=30.52, reason="r")
    records = place_records(Article("d", "in Kyiv"), [PlaceMention(3, 7, "Kyiv", location)])
    assert records == [{
        "doc_id": "d", "start": 3, "end": 7, "text": "Kyiv", "name": "Kyiv", "lat": 50.45, "lon": 30.52,
        "country_code": "UA", "admin1_iso": "UA-30", "geo_precision": "point", "gazetteer_id": None,
        "reason": "r",
    }]


# ------------------------------------------------------------------ facilities, unlisted names, actors


def test_facility_prefers_the_town_whose_hromada_keeps_the_name(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Drones struck the Kirovske airfield overnight.")
    assert found["Kirovske"].admin1_iso == "UA-43", found["Kirovske"].reason
    assert "facility keeps its old name" in found["Kirovske"].reason


def test_unlisted_villages_in_a_list_are_one_mention_each_in_the_documents_region(
    geocoder: GazetteerGeocoder,
) -> None:
    found = _places(
        geocoder,
        "Russian forces shelled the Belgorod region. The ministry said it repelled attacks near the "
        "settlements of Qzarnovka, Malaya Qrebnya and Pidlisnyi Kut.",
    )
    for name in ("Qzarnovka", "Malaya Qrebnya", "Pidlisnyi Kut"):
        location = found[name]
        assert location is not None, name
        assert (location.feature, location.admin1_iso, location.geo_precision) == ("unlisted", "RU-BEL", "admin1")
        assert location.name == name and "Belgorod" in location.reason
    assert "Qrebnya" not in found


def test_loose_spelling_of_a_ukrainian_village_yields_to_the_lists_russian_region(
    geocoder: GazetteerGeocoder,
) -> None:
    found = _located(geocoder, "Troops repelled attacks near Sudzha, Grabovskoye and Qzarnovka.")
    assert found["Sudzha"].admin1_iso == "RU-KRS"
    for name in ("Grabovskoye", "Qzarnovka"):
        assert (found[name].feature, found[name].admin1_iso) == ("unlisted", "RU-KRS"), found[name].reason
        assert found[name].geo_precision == "admin2" and "placed at Sudzha" in found[name].reason
    assert "only by news spelling" in found["Grabovskoye"].reason


def test_list_of_annexed_regions_names_regions(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Moscow has annexed Luhansk, Donetsk, Zaporizhia and Kherson.")
    assert [found[n].admin1_iso for n in ("Luhansk", "Donetsk", "Zaporizhia", "Kherson")] == [
        "UA-09", "UA-14", "UA-23", "UA-65",
    ]
    assert all(found[n].feature == "admin1" for n in ("Luhansk", "Donetsk", "Zaporizhia", "Kherson"))


def test_town_sharing_its_name_with_villages_has_its_own_point(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Fighting continued in the Lyman direction.")
    assert (found["Lyman"].admin1_iso, found["Lyman"].geo_precision) == ("UA-14", "point")
    assert "city" in found["Lyman"].reason


def test_city_named_with_countries_is_the_city_not_its_province(geocoder: GazetteerGeocoder) -> None:
    found = _located(geocoder, "Talks between Russia and Ukraine in Istanbul ended.")
    assert (found["Istanbul"].geo_precision, found["Istanbul"].feature) == ("point", "settlement")


def test_settlement_without_coordinates_is_placed_within_its_hromada_or_raion(
    geocoder: GazetteerGeocoder,
) -> None:
    matches = geocoder.gazetteer.lookup(["zaporizke"])["zaporizke"]
    in_oblast = [m.place for m in matches if m.place.admin1_iso == "UA-12"]
    assert len(in_oblast) > 3
    assert all(p.precision in ("point", "admin2") for p in in_oblast)
    assert any("placed at the middle of" in p.placement for p in in_oblast)


def test_institutions_and_media_are_not_places(geocoder: GazetteerGeocoder) -> None:
    text = (
        "The White House said the Duma voted. Gumenyuk told Kiev city television and the Kyiv "
        "Independent reported it."
    )
    assert _places(geocoder, text) == {}


def test_demonyms_and_seats_are_places_only_when_asked_for(geocoder: GazetteerGeocoder) -> None:
    text = "French and American officials met in Europe. The White House said so."
    assert _places(geocoder, text) == {}
    wide = GazetteerGeocoder(cache_dir=str(geocoder.gazetteer.path.parent), include_demonyms=True)
    found = _located(wide, text)
    assert {n: found[n].country_code for n in ("French", "American")} == {"French": "FR", "American": "US"}
    assert "demonym" in found["French"].reason
    assert found["Europe"].feature == "continent"
    assert found["The White House"].admin1_iso == "US-DC"
    wide.gazetteer.close()


# ------------------------------------------------------------------ GeoNames dump import


_DUMP_LINES = [
    "\t".join([
        "900001", "Qzarnovka", "Qzarnovka", "Kvarnovka,Qzarnowka", "51.3", "35.2", "P", "PPL", "RU", "",
        "41", "", "", "", "120", "", "180", "Europe/Moscow", "2024-01-01",
    ]),
    "\t".join([
        "900002", "Qrebnaya Air Base", "Qrebnaya Air Base", "", "48.6", "43.8", "S", "AIRB", "RU", "",
        "84", "", "", "", "0", "", "90", "Europe/Volgograd", "2024-01-01",
    ]),
    "\t".join([
        "900003", "Qzar Lake", "Qzar Lake", "", "51.0", "35.0", "H", "LK", "RU", "", "41", "", "", "",
        "0", "", "150", "Europe/Moscow", "2024-01-01",
    ]),
]


@pytest.fixture()
def dump_cache(geocoder: GazetteerGeocoder, tmp_path: Path) -> Path:
    """A cache directory holding the session's built gazetteer and nothing imported yet."""
    built = geocoder.gazetteer.path
    (tmp_path / built.name).symlink_to(built)
    return tmp_path


def test_imported_dump_adds_villages_and_facilities(dump_cache: Path, tmp_path: Path) -> None:
    dump = tmp_path / "RU.txt"
    dump.write_text("\n".join(_DUMP_LINES) + "\n", encoding="utf-8")
    assert import_geonames_dump(dump, cache_dir=dump_cache) == 2
    g = GazetteerGeocoder(cache_dir=str(dump_cache))
    found = _located(g, "Shelling hit Qzarnovka in the Kursk region. Drones struck Russia's Qrebnaya airbase.")
    assert (found["Qzarnovka"].admin1_iso, found["Qzarnovka"].geo_precision) == ("RU-KRS", "point")
    assert found["Qzarnovka"].gazetteer_id == "geonames:900001"
    assert (found["Qrebnaya"].admin1_iso, found["Qrebnaya"].feature) == ("RU-VGG", "facility")
    assert "facility" in found["Qrebnaya"].reason
    g.gazetteer.close()


def test_malformed_dump_line_names_file_and_line(dump_cache: Path, tmp_path: Path) -> None:
    dump = tmp_path / "RU.txt"
    dump.write_text(_DUMP_LINES[0] + "\n" + "900009\tBroken\tline\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        import_geonames_dump(dump, cache_dir=dump_cache)
    assert (raised.value.path, raised.value.line) == (str(dump), 2)
