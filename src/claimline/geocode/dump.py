"""Importing a GeoNames country dump (`UA.txt`, `RU.txt`) a user downloaded.

Its populated places and facilities (air bases, ports, plants …) go into a file of their own
beside the built gazetteer, so a rebuild of the base part keeps them; the gazetteer attaches that
file whenever it opens.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path

from claimline.errors import InputError
from claimline.geocode.gazetteer import (
    ALIAS,
    ALTERNATE,
    IMPORTED_ID_OFFSET,
    IMPORTS_FILE,
    NAME,
    PLACE_COLUMNS,
    Gazetteer,
    Place,
    create_tables,
    default_cache_dir,
)
from claimline.geocode.katottg import CATEGORY_RANK
from claimline.geocode.names import is_latin_script, name_key

_COLUMNS = 19
# GeoNames feature codes of the facilities news names by their town: airfields and air bases,
# ports, plants, refineries, depots, dams, power stations, bridges.
FACILITY_CODES = frozenset({
    "AIRB", "AIRF", "AIRP", "AIRH", "AIRQ", "PRT", "PRN", "DCKY", "MFG", "MFGM", "OILR", "OILT",
    "PS", "PSH", "PSN", "DAM", "BDG", "STNM", "ARSL", "MILB", "NVB", "INSM", "RSTN",
})
# Words that make a facility's name out of its town's: "Marinovka Air Base" is also "Marinovka".
_FACILITY_WORDS = re.compile(
    r"\b(air ?base|air ?field|airport|aerodrome|airfield|air force base|naval base|military base|"
    r"base|port|seaport|harbou?r|refinery|plant|depot|dam|bridge|station|power station|"
    r"nuclear power plant|thermal power plant|oil refinery|arsenal)\b",
    re.IGNORECASE,
)


def import_geonames_dump(path: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None = None) -> int:
    """Add the populated places and facilities of a GeoNames country dump to the gazetteer and
    return how many were added; a malformed line raises `InputError(path=…, line=…)`."""
    source = Path(path)
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    gazetteer = Gazetteer.open(directory)
    try:
        admin1 = gazetteer.geonames_admin1()
        regions = {code: gazetteer.subdivision(code) for code in set(admin1.values())}
    finally:
        gazetteer.close()
    rows = list(_read(source, admin1, {k: v.name for k, v in regions.items() if v is not None}))
    db = sqlite3.connect(directory / IMPORTS_FILE)
    try:
        create_tables(db)
        ids = [(place.place_id,) for place, _ in rows]
        db.executemany("DELETE FROM names WHERE place_id = ?", ids)
        db.executemany("DELETE FROM places WHERE place_id = ?", ids)
        db.executemany(
            f"INSERT INTO places VALUES ({','.join('?' * len(PLACE_COLUMNS))})",
            [tuple(getattr(place, c) for c in PLACE_COLUMNS) for place, _ in rows],
        )
        db.executemany(
            "INSERT INTO names VALUES (?, ?, ?)",
            [(key, place.place_id, how) for place, keys in rows for key, how in keys.items()],
        )
        db.commit()
    finally:
        db.close()
    return len(rows)


def _read(
    source: Path, admin1: Mapping[tuple[str, str], str], region_names: Mapping[str, str]
) -> Iterator[tuple[Place, dict[str, int]]]:
    try:
        handle = source.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read GeoNames dump: {exc.strerror}", path=str(source)) from exc
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) != _COLUMNS:
                raise InputError(
                    f"expected {_COLUMNS} tab-separated columns, found {len(fields)}",
                    path=str(source), line=number,
                )
            try:
                geonames_id, lat, lon = int(fields[0]), float(fields[4]), float(fields[5])
                population = int(fields[14] or 0)
            except ValueError as exc:
                raise InputError(f"bad number: {exc}", path=str(source), line=number) from exc
            feature_class, feature_code = fields[6], fields[7]
            if feature_class != "P" and feature_code not in FACILITY_CODES:
                continue
            yield _entry(fields, geonames_id, lat, lon, population, admin1, region_names)


def _entry(
    fields: list[str], geonames_id: int, lat: float, lon: float, population: int,
    admin1: Mapping[tuple[str, str], str], region_names: Mapping[str, str],
) -> tuple[Place, dict[str, int]]:
    name, country = fields[1], fields[8]
    facility = fields[6] != "P"
    iso = admin1.get((country, fields[10]))
    place = Place(
        place_id=IMPORTED_ID_OFFSET + geonames_id, name=name,
        kind="facility" if facility else "settlement", country_code=country or None,
        admin1_iso=iso, admin1=region_names.get(iso or ""), admin2=None, hromada=None, lat=lat,
        lon=lon, population=population, settlement_rank=CATEGORY_RANK["C"], precision="point",
        gazetteer_id=f"geonames:{geonames_id}", placement="from an imported GeoNames dump",
        category=fields[7],
    )
    names = [name, fields[2], *(a for a in fields[3].split(",") if a and is_latin_script(a))]
    keys: dict[str, int] = {}
    for written in names:
        key = name_key(written)
        if key:
            keys.setdefault(key, NAME if written in (name, fields[2]) else ALTERNATE)
        if facility:
            town = name_key(_FACILITY_WORDS.sub(" ", written))
            if town and town != key:
                keys.setdefault(town, ALIAS)
    return place, keys
