"""Test doubles for the stage seams: a geocoder that knows only the places it is given."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from claimline.model import Article, Location, PlaceMention, Sentence


def village(name: str, admin1_iso: str, country: str = "UA") -> Location:
    return Location(name=name, country_code=country, geo_precision="point", admin1_iso=admin1_iso,
                    lat=48.0, lon=37.0, gazetteer_id=f"test:{name}:{admin1_iso}", reason="test double",
                    feature="settlement")


def region(name: str, admin1_iso: str, country: str = "UA") -> Location:
    return Location(name=name, country_code=country, geo_precision="admin1", admin1_iso=admin1_iso,
                    admin1=name, lat=48.0, lon=37.0, gazetteer_id=f"test:{admin1_iso}", reason="test double",
                    feature="admin1")


def country(name: str, code: str) -> Location:
    return Location(name=name, country_code=code, geo_precision="country", lat=49.0, lon=32.0,
                    gazetteer_id=f"test:{code}", reason="test double", feature="country")


class DictGeocoder:
    """Finds exactly the names it was given (longest first) and returns their fixed locations."""

    def __init__(self, known: Mapping[str, Location]) -> None:
        self.known = dict(known)
        names = sorted(self.known, key=len, reverse=True)
        self._pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")

    def places(self, article: Article, sentences: Sequence[Sentence]) -> list[PlaceMention]:
        found = []
        for sentence in sentences:
            if sentence.furniture:
                continue
            for match in self._pattern.finditer(sentence.text):
                start = sentence.start + match.start()
                found.append(PlaceMention(start, start + len(match.group(0)), match.group(0),
                                          self.known[match.group(0)]))
        return sorted(found, key=lambda p: p.start)

    def country(self, code: str) -> Location | None:
        return next((loc for loc in self.known.values() if loc.geo_precision == "country"
                     and loc.country_code == code), None)


def stop_sentences(text: str) -> list[Sentence]:
    """The text cut after each '.', '!' or '?', as Sentence records: the segmenter left out."""
    return [
        Sentence(i, m.start(), m.end(), m.group())
        for i, m in enumerate(re.finditer(r"[^.!?]+[.!?]?", text))
        if m.group().strip()
    ]
