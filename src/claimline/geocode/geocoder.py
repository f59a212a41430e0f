"""GazetteerGeocoder: find place names in sentences and resolve each to one gazetteer entry."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from claimline.geocode.gazetteer import Gazetteer, NameMatch, Place
from claimline.geocode.mentions import NameSpan, lookup_keys, lowercase_vocabulary, run_spans, sentence_runs
from claimline.geocode.rank import (
    Choice,
    Setting,
    admin1_of,
    best_choice,
    describe,
    is_region_list,
    lists_of,
    region_after,
    score,
)
from claimline.model import Article, Location, PlaceMention, Sentence

# Decommunised names: many "Chervona …" / "Krasna …" villages dropped the word in 2016 and news
# still uses the old name, so the rest of the name is tried as well.
_RENAMED_PREFIXES = frozenset({
    "chervona", "chervone", "chervonyi", "chervonyy", "chervony", "krasna", "krasne", "krasnyi", "krasnyy",
    "krasny",
})
_REGION_KINDS = ("admin1",)
_WEAK_POPULATION = 100_000


@dataclass(frozen=True, slots=True)
class _Found:
    """A span with the gazetteer entries its name matched."""

    span: NameSpan
    matches: tuple[NameMatch, ...]
    owner: str | None = None  # the country of "Russia's" in "Russia's Marinovka airbase"


class GazetteerGeocoder:
    """Geocoder over the cached gazetteer (GeoNames, ISO 3166-2 and the Ukrainian register)."""

    def __init__(self, *, cache_dir: str | None = None) -> None:
        self._cache_dir = Path(cache_dir) if cache_dir else None
        self._gazetteer: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer, opened (and built on first use) when first needed."""
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.open(self._cache_dir)
        return self._gazetteer

    def country(self, code: str) -> Location | None:
        place = self.gazetteer.country(code)
        if place is None:
            return None
        return _location(place, place.name, f"country {place.country_code}; {place.placement}".rstrip("; "))

    def places(self, article: Article, sentences: Sequence[Sentence]) -> list[PlaceMention]:
        found = self._find(article, sentences)
        if not found:
            return []
        spans = [f.span for f in found]
        focus = _focus_countries(found)
        groups = lists_of(spans, article.text)
        regions, region_names = self._region_references(found, groups, article.text, focus)
        settings = _settings(found, groups, regions, region_names, article.text)
        document_regions = Counter(regions.values())
        choices = self._choose(found, settings, regions, document_regions, focus)
        return [
            PlaceMention(f.span.start, f.span.end, f.span.text, self._resolve(f, choice, settings[i]))
            for i, (f, choice) in enumerate(zip(found, choices, strict=True))
            if choice is None or not _is_weak(choice, focus)
        ]

    def _find(self, article: Article, sentences: Sequence[Sentence]) -> list[_Found]:
        runs = [run for s in sentences if not s.furniture for run in sentence_runs(s)]
        gazetteer = self.gazetteer
        known = gazetteer.lookup(lookup_keys(runs))
        lowercase = lowercase_vocabulary(article.text)
        spans = sorted(
            (span for run in runs for span in run_spans(run, known.__contains__, lowercase)),
            key=lambda s: s.start,
        )
        renamed = {s.key: " ".join(s.key.split()[1:]) for s in spans if s.key.split()[0] in _RENAMED_PREFIXES}
        renamed = {k: v for k, v in renamed.items() if v}
        also = gazetteer.lookup(renamed.values())
        found: list[_Found] = []
        for span in spans:
            matches = list(known.get(span.key, ()))
            for match in also.get(renamed.get(span.key, ""), ()):
                if match.place.country_code == "UA" and match.place.kind == "settlement":
                    matches.append(NameMatch(match.place, "former name"))
            owner = _owner_country(found[-1] if found else None, span, article.text)
            if owner is not None:
                matches = [m for m in matches if m.place.country_code == owner]
            found.append(_Found(span, tuple(_fitting_cue(span, matches)), owner))
        return found

    def _region_references(
        self, found: Sequence[_Found], groups: Sequence[Sequence[int]], text: str, focus: Counter[str]
    ) -> tuple[dict[int, str], dict[int, str]]:
        """Spans that name a region ("Sumy region", "… and D in Donetsk"): index → ISO code."""
        spans = [f.span for f in found]
        references: dict[int, str] = {}
        names: dict[int, str] = {}
        for i, f in enumerate(found):
            if f.span.cue == "region":
                region = admin1_of(f.matches, focus)
                if region is not None and region.admin1_iso:
                    references[i], names[i] = region.admin1_iso, region.name
        for group in groups:
            if is_region_list(group, spans, text):
                for i in group:
                    region = admin1_of(found[i].matches, focus)
                    if region is not None and region.admin1_iso:
                        references[i], names[i] = region.admin1_iso, region.name
                continue
            after = region_after(group, spans, text)
            if after is None or after in references:
                continue
            region = admin1_of(found[after].matches, focus)
            if region is not None and region.admin1_iso and any(
                m.place.kind == "settlement" for i in group for m in found[i].matches
            ):
                references[after], names[after] = region.admin1_iso, region.name
        return references, names

    def _choose(
        self, found: Sequence[_Found], settings: Sequence[Setting], regions: dict[int, str],
        document_regions: Counter[str], focus: Counter[str],
    ) -> list[Choice | None]:
        first = [
            self._best(i, f, settings[i], regions, document_regions, focus, ())
            for i, f in enumerate(found)
        ]
        second = []
        for i, f in enumerate(found):
            neighbours = tuple(c.place for j in settings[i].neighbours if (c := first[j]) is not None)
            second.append(self._best(i, f, settings[i], regions, document_regions, focus, neighbours))
        return second

    def _best(
        self, i: int, f: _Found, setting: Setting, regions: dict[int, str], document_regions: Counter[str],
        focus: Counter[str], neighbours: Sequence[Place],
    ) -> Choice | None:
        matches: Sequence[NameMatch] = f.matches
        if i in regions:
            matches = [
                m for m in matches if m.place.admin1_iso == regions[i] and m.place.kind in _REGION_KINDS
            ]
            evidence = ("named as a region",)
            return Choice(matches[0].place, matches[0].how, evidence, 0.0) if matches else None
        return best_choice([
            score(f.span.key, m, setting, document_regions, focus, neighbours) for m in matches
        ])

    def _resolve(self, f: _Found, choice: Choice | None, setting: Setting) -> Location | None:
        if choice is None:
            return self._unlisted(f, setting) or self._owned(f)
        place = choice.place
        if setting.list_region and place.kind == "settlement" and place.admin1_iso != setting.list_region:
            return self._unlisted(f, setting)
        # a name matched as another place's alternate or former name keeps the form written
        name = f.span.text if choice.how in ("alternate name", "former name") else place.name
        return _location(place, name, describe(choice, len(f.matches)))

    def _owned(self, f: _Found) -> Location | None:
        """A name the gazetteer lacks in the country that owns it ("Russia's Marinovka")."""
        if f.owner is None:
            return None
        country = self.gazetteer.country(f.owner)
        if country is None:
            return None
        reason = (
            f"no gazetteer entry of that name in {country.name}, named as its owner; placed in the "
            f"country; {country.placement}"
        )
        return _location(country, f.span.text, reason, feature="unlisted")

    def _unlisted(self, f: _Found, setting: Setting) -> Location | None:
        """A name the gazetteer lacks, said to be a place by the words around it, placed in the
        region named with it."""
        region_code = setting.list_region or next(iter(sorted(setting.sentence_regions)), None)
        if region_code is None or not (f.span.cue or setting.list_region):
            return None
        region = self.gazetteer.subdivision(region_code)
        if region is None:
            return None
        said = f"a {f.span.cue} by the word '{f.span.cue_text}'" if f.span.cue else "named in a list"
        reason = (
            f"no gazetteer entry of that name in {region.name}; {said}, placed in {region.name} "
            "(region named with it); at the region's centroid"
        )
        return _location(region, f.span.text, reason, precision_of_region=True, feature="unlisted")


def _fitting_cue(span: NameSpan, matches: Sequence[NameMatch]) -> list[NameMatch]:
    """Keep the matches of the kind the cue word names, where there are any."""
    wanted: tuple[str, ...]
    if span.cue == "region":
        wanted = ("admin1", "admin2")
    elif span.cue == "district":
        wanted = ("admin2",)
    elif span.cue in ("settlement", "facility"):
        wanted = ("settlement",)
    else:
        return list(matches)
    fitting = [m for m in matches if m.place.kind in wanted]
    return fitting or list(matches)


def _owner_country(previous: _Found | None, span: NameSpan, text: str) -> str | None:
    if previous is None or previous.span.sentence != span.sentence:
        return None
    if not re.fullmatch(r"['’]s\s+", text[previous.span.end : span.start]):
        return None
    countries = [m.place.country_code for m in previous.matches if m.place.kind == "country"]
    return countries[0] if countries else None


def _is_weak(choice: Choice, focus: Counter[str]) -> bool:
    """A small foreign place known only by an alternate name, with nothing in the text for it:
    far more often a word or a person's name than a place ("Bayraktar")."""
    place = choice.place
    return (
        choice.how == "alternate name" and not choice.evidence and place.kind == "settlement"
        and not focus.get(place.country_code or "") and place.population < _WEAK_POPULATION
    )


def _focus_countries(found: Sequence[_Found]) -> Counter[str]:
    """Countries the document is about: countries named, and the country of every name whose
    matches all lie in one country."""
    focus: Counter[str] = Counter()
    for f in found:
        countries = {m.place.country_code for m in f.matches if m.place.kind == "country"}
        if countries:
            focus.update(c for c in countries if c)
            continue
        every = {m.place.country_code for m in f.matches if m.how != "alternate name"}
        if len(every) == 1 and None not in every:
            focus.update(c for c in every if c)
    return focus


def _settings(
    found: Sequence[_Found], groups: Sequence[Sequence[int]], regions: dict[int, str],
    region_names: dict[int, str], text: str,
) -> list[Setting]:
    spans = [f.span for f in found]
    sentence_regions: dict[int, set[str]] = {}
    for i, code in regions.items():
        sentence_regions.setdefault(spans[i].sentence, set()).add(code)
    settings: list[Setting] = [Setting(None, None, frozenset(), ())] * len(found)
    for group in groups:
        after = region_after(group, spans, text)
        list_region = regions.get(after) if after is not None else None
        list_name = region_names.get(after) if after is not None else None
        for i in group:
            sentence = spans[i].sentence
            if len(group) > 1:
                neighbours = tuple(j for j in group if j != i)
            else:
                neighbours = tuple(
                    j for j, s in enumerate(spans) if s.sentence == sentence and j != i and j not in regions
                )
            settings[i] = Setting(
                list_region, list_name, frozenset(sentence_regions.get(sentence, ())), neighbours
            )
    return settings


def _location(
    place: Place, name: str, reason: str, *, precision_of_region: bool = False, feature: str | None = None
) -> Location:
    return Location(
        name=name, country_code=place.country_code,
        geo_precision="admin1" if precision_of_region else place.precision,
        admin1=place.admin1, admin1_iso=place.admin1_iso, admin2=place.admin2,
        lat=place.lat, lon=place.lon, gazetteer_id=place.gazetteer_id, reason=reason,
        feature=feature or place.kind,
    )
