"""GazetteerGeocoder: find place names in sentences and resolve each to one gazetteer entry."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from claimline.geocode.gazetteer import (
    ACTOR_HOWS,
    REMEMBERED_KEYS,
    Gazetteer,
    NameMatch,
    Place,
    cache_path,
    forget_oldest,
)
from claimline.geocode.mentions import (
    LowercaseWords,
    NameSpan,
    Stretch,
    lookup_keys,
    run_spans,
    sentence_stretches,
    stretch_runs,
)
from claimline.geocode.rank import (
    SHORTLIST,
    Choice,
    Scored,
    Setting,
    admin1_of,
    best_near,
    describe,
    focus_shares,
    is_region_list,
    lists_of,
    may_be_near,
    region_after,
    relevant_neighbours,
    scored_alone,
    shortlist,
)
from claimline.model import Article, Location, PlaceMention, Sentence

# Decommunised names: many "Chervona …" / "Krasna …" villages dropped the word in 2016 and news
# still uses the old name, so the rest of the name is tried as well.
_RENAMED_PREFIXES = frozenset({
    "chervona", "chervone", "chervonyi", "chervonyy", "chervony", "krasna", "krasne", "krasnyi", "krasnyy",
    "krasny",
})
_RENAMED_STARTS = tuple(sorted({prefix[:5] for prefix in _RENAMED_PREFIXES}))
_REGION_KINDS = ("admin1",)
# What lies between an owner and the name it owns: "Russia's Marinovka".
_OWNER_GAP = re.compile(r"['’]s\s+")
_START = attrgetter("start")
_WEAK_POPULATION = 100_000
# Stretches whose names are remembered at most; past this the older half is forgotten.
_REMEMBERED_STRETCHES = 100_000


class _Found(NamedTuple):
    """A span with the gazetteer entries its name matched."""

    span: NameSpan
    matches: tuple[NameMatch, ...]
    owner: str | None = None  # the country of "Russia's" in "Russia's Marinovka airbase"


class GazetteerGeocoder:
    """Geocoder over the cached gazetteer (GeoNames, ISO 3166-2 and the Ukrainian register)."""

    def __init__(self, *, cache_dir: str | None = None, include_demonyms: bool = False) -> None:
        """`include_demonyms` also reports names that stand for a people or a government as
        places ("French" → France, "the White House" → Washington, "U.S.", "Europe"), as
        toponym corpora count them; the event extractor reads those as actors, so it is off
        by default."""
        self._cache_dir = cache_path(cache_dir) if cache_dir else None
        self._gazetteer: Gazetteer | None = None
        self._include_demonyms = include_demonyms
        self._stretches: dict[tuple[object, ...], tuple[NameSpan, ...]] = {}
        self._usable: dict[str, list[NameMatch] | None] = {}

    def forget_stretches(self) -> None:
        """Empty the memo of the name stretches read (for benchmarks that read the same texts twice);
        what the gazetteer holds for each name stays remembered."""
        self._stretches.clear()

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
        candidates = self._find(article, sentences)
        candidate_groups = lists_of([f.span for f in candidates], article.text)
        found = _placeable(candidates, candidate_groups)
        if not found:
            return []
        spans = [f.span for f in found]
        focus = _focus_countries(found)
        groups = candidate_groups if len(found) == len(candidates) else lists_of(spans, article.text)
        afters = [region_after(group, spans, article.text) for group in groups]
        regions, region_names = self._region_references(found, groups, afters, article.text, focus)
        settings = _settings(found, groups, afters, regions, region_names)
        document_regions = Counter(regions.values())
        context = _Context(regions, document_regions, focus, focus_shares(focus), {}, {})
        choices = self._choose(found, settings, context)
        anchors = _list_anchors(found, groups, choices, settings)
        main_region = document_regions.most_common(1)[0][0] if document_regions else None
        listed = {i for group in groups if len(group) > 1 for i in group}
        chosen: dict[_ChoiceSlot, Location] = {}  # a choice said again gives the same place
        mentions = []
        for i, (f, choice) in enumerate(zip(found, choices, strict=True)):
            if choice is not None and _is_weak(choice, focus):
                continue
            location = self._resolve(f, choice, settings[i], anchors.get(i), main_region, i in listed, chosen)
            if location is None and not f.span.known and not f.span.cue:
                continue
            mentions.append(PlaceMention(f.span.start, f.span.end, f.span.text, location))
        return mentions

    def _find(self, article: Article, sentences: Sequence[Sentence]) -> list[_Found]:
        gazetteer = self.gazetteer
        lowercase = LowercaseWords(article.text)
        # a stretch written the same way with the same words around it splits the same way: its
        # names are remembered (by offsets from the stretch's start) across documents
        remembered = self._stretches
        if len(remembered) > _REMEMBERED_STRETCHES:
            forget_oldest(remembered)
        spans: list[NameSpan] = []
        pending: list[Stretch] = []
        for sentence in sentences:
            if sentence.furniture:
                continue
            for stretch in sentence_stretches(sentence, lowercase):
                split = remembered.get(stretch.signature)
                if split is None:
                    pending.append(stretch)
                elif split:
                    origin, index = stretch.origin, sentence.index
                    spans.extend([_shifted(span, origin, index) for span in split])
        runs = [stretch_runs(stretch) for stretch in pending]
        wanted = lookup_keys(chain.from_iterable(runs)) | {span.key for span in spans}
        known = self._known(wanted)
        for stretch, its_runs in zip(pending, runs, strict=True):
            fresh = [
                span for run in its_runs
                for span in run_spans(run, known.__contains__, lowercase, demonyms=self._include_demonyms)
            ]
            origin = stretch.origin
            remembered[stretch.signature] = tuple(_shifted(span, -origin, span.sentence) for span in fresh)
            spans.extend(fresh)
        spans = sorted((span for span in spans if not span.known or known[span.key]), key=_START)
        renamed = _renamed_keys(spans)
        also = gazetteer.lookup(renamed.values()) if renamed else {}
        found: list[_Found] = []
        text = article.text
        for span in spans:
            matches: Sequence[NameMatch] = known.get(span.key, ())
            if renamed and span.key in renamed:
                matches = [*matches, *_former_names(also.get(renamed[span.key], ()))]
            owner = _owner_country(found[-1], span, text) if found else None
            if owner is not None:
                matches = [m for m in matches if m.place.country_code == owner]
            found.append(_Found(span, _fitting_cue(span, matches), owner))
        return found

    def _known(self, keys: set[str]) -> dict[str, list[NameMatch]]:
        """The usable matches of each key that names a place (see `_usable`), remembered."""
        usable = self._usable
        if len(usable) > REMEMBERED_KEYS:
            forget_oldest(usable)
        fresh = [key for key in keys if key not in usable]
        if fresh:
            found = self.gazetteer.lookup(fresh)
            for key in fresh:
                matches = found.get(key)
                usable[key] = _usable(matches, self._include_demonyms) if matches else None
        return {key: matches for key in keys if (matches := usable[key]) is not None}

    def _region_references(
        self, found: Sequence[_Found], groups: Sequence[Sequence[int]], afters: Sequence[int | None], text: str,
        focus: Counter[str],
    ) -> tuple[dict[int, str], dict[int, str]]:
        """Spans that name a region ("Sumy region", "… and D in Donetsk"): index → ISO code.
        `afters` holds the `region_after` of each group."""
        spans = [f.span for f in found]
        references: dict[int, str] = {}
        names: dict[int, str] = {}
        for i, f in enumerate(found):
            if f.span.cue == "region":
                region = admin1_of(f.matches, focus)
                if region is not None and region.admin1_iso:
                    references[i], names[i] = region.admin1_iso, region.name
        for group, after in zip(groups, afters, strict=True):
            if is_region_list(group, spans, text) or _names_regions(group, found, text):
                for i in group:
                    region = admin1_of(found[i].matches, focus)
                    if region is not None and region.admin1_iso:
                        references[i], names[i] = region.admin1_iso, region.name
                continue
            if after is None or after in references:
                continue
            region = admin1_of(found[after].matches, focus)
            if region is not None and region.admin1_iso and any(
                m.place.kind == "settlement" for i in group for m in found[i].matches
            ) and not any(m.place.kind == "country" for i in group for m in found[i].matches):
                references[after], names[after] = region.admin1_iso, region.name
        return references, names

    def _choose(
        self, found: Sequence[_Found], settings: Sequence[Setting], context: _Context
    ) -> list[Choice | None]:
        # the first round only tells each name's neighbours where it lies, so it is made only for
        # the neighbours of names they can count for
        first: dict[int, Place | None] = {}
        second = []
        for i, f in enumerate(found):
            setting = settings[i]
            neighbours: list[Place] = []
            if setting.neighbours and i not in context.regions and may_be_near(f.matches):
                for j in setting.neighbours:
                    if j not in first:
                        first[j] = self._first_place(j, found[j], settings[j], context)
                    if (place := first[j]) is not None:
                        neighbours.append(place)
            second.append(self._best(i, f, setting, context, neighbours))
        return second

    def _first_place(self, i: int, f: _Found, setting: Setting, context: _Context) -> Place | None:
        """Where a name lies before its neighbours count: a name with one entry lies there
        whatever the scores say."""
        if i not in context.regions and len(f.matches) <= 1:
            return f.matches[0].place if f.matches else None
        choice = self._best(i, f, setting, context, ())
        return choice.place if choice is not None else None

    def _best(
        self, i: int, f: _Found, setting: Setting, context: _Context, neighbours: Sequence[Place]
    ) -> Choice | None:
        matches: Sequence[NameMatch] = f.matches
        if i in context.regions:
            region = context.regions[i]
            matches = [m for m in matches if m.place.admin1_iso == region and m.place.kind in _REGION_KINDS]
            evidence = ("named as a region",)
            return Choice(matches[0].place, matches[0].how, evidence, 0.0) if matches else None
        neighbours = relevant_neighbours(matches, neighbours)
        slot = (
            f.span.key, f.span.cue, f.owner, setting.list_region, setting.sentence_regions,
            tuple([p.place_id for p in neighbours]) if neighbours else (),
        )
        memo = context.memo
        if slot in memo:
            return memo[slot]
        memo[slot] = choice = best_near(self._scored_alone(f, setting, context, neighbours), neighbours)
        return choice

    def _scored_alone(
        self, f: _Found, setting: Setting, context: _Context, neighbours: Sequence[Place]
    ) -> list[Scored]:
        """The shortlist of a name scored without its neighbours, remembered for the document
        where the shortlist does not depend on them (all of the name's matches are on it)."""
        key, document_regions = f.span.key, context.document_regions
        whole = len(f.matches) <= SHORTLIST
        slot = (key, f.span.cue, f.owner, setting.list_region, setting.sentence_regions)
        if whole and slot in context.scored:
            return context.scored[slot]
        shortlisted = shortlist(f.matches, setting, document_regions, context.focus, neighbours)
        scored = scored_alone(
            key, shortlisted, setting, document_regions, context.shares, facility=f.span.cue == "facility"
        )
        if whole:
            context.scored[slot] = scored
        return scored

    def _resolve(
        self, f: _Found, choice: Choice | None, setting: Setting, anchor: _Anchor | None,
        main_region: str | None, listed: bool, chosen: dict[_ChoiceSlot, Location],
    ) -> Location | None:
        """Where a name lies; `chosen` remembers, for one document, the place of each choice: its
        place (the document's places live as long as it, so their ids are keys), how it matched,
        its evidence, the name written and the number of entries of that name."""
        if anchor is not None and (choice is None or _strays_from(choice, anchor.region)):
            return self._unlisted_at(f, anchor.region, anchor.why, choice, anchor.near)
        if choice is None:
            return self._owned(f) or self._unlisted(f, setting, main_region, listed)
        place = choice.place
        if setting.list_region and place.kind == "settlement" and place.admin1_iso != setting.list_region:
            return self._unlisted(f, setting, main_region, listed)
        # a name matched as another place's alternate or former name keeps the form written
        name = f.span.text if choice.how in ("alternate name", "former name") else place.name
        slot = (id(place), choice.how, choice.evidence, name, len(f.matches))
        location = chosen.get(slot)
        if location is None:
            location = chosen[slot] = _location(place, name, describe(choice, len(f.matches)))
        return location

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

    def _unlisted(
        self, f: _Found, setting: Setting, main_region: str | None, listed: bool
    ) -> Location | None:
        """A name the gazetteer lacks, said to be a place by the words around it, placed in the
        region named with it, else in the region the document is about."""
        said_place = bool(f.span.cue or setting.list_region or listed)
        if not said_place:
            return None
        region_code = setting.list_region or next(iter(sorted(setting.sentence_regions)), None)
        where = "region named with it"
        if region_code is None and main_region is not None and f.span.cue != "region":
            region_code, where = main_region, "the region the document names most"
        if region_code is None:
            return None
        return self._unlisted_at(f, region_code, where, None)

    def _unlisted_at(
        self, f: _Found, region_code: str, where: str, passed: Choice | None, near: Place | None = None
    ) -> Location | None:
        region = self.gazetteer.subdivision(region_code)
        if region is None:
            return None
        if near is not None and near.lat is not None:
            said = "named in a list of places"
            if passed is not None:
                said += f"; {passed.place.name} in {passed.place.admin1} matches it only by {passed.how}"
            reason = (
                f"no gazetteer entry of that name in {region.name}; {said}; placed at {near.name}, "
                "named with it in the same list (villages named together are neighbours)"
            )
            return Location(
                name=f.span.text, country_code=near.country_code, geo_precision="admin2",
                admin1=near.admin1, admin1_iso=near.admin1_iso, admin2=near.admin2, lat=near.lat,
                lon=near.lon, gazetteer_id=None, reason=reason, feature="unlisted",
            )
        said = f"a {f.span.cue} by the word '{f.span.cue_text}'" if f.span.cue else "named in a list of places"
        if passed is not None:
            said += (
                f"; {passed.place.name} in {passed.place.admin1 or passed.place.country_code} "
                f"matches it only by {passed.how}"
            )
        reason = (
            f"no gazetteer entry of that name in {region.name}; {said}; placed in {region.name} "
            f"({where}); at the region's centroid"
        )
        return _location(region, f.span.text, reason, precision_of_region=True, feature="unlisted")


# What the place of a choice depends on (see `_resolve`).
_ChoiceSlot = tuple[int, str, tuple[str, ...], str, int]


@dataclass(frozen=True, slots=True)
class _Context:
    """What the whole document says, for every choice in it; a name said again in the same
    setting is chosen once (`memo`)."""

    regions: dict[int, str]
    document_regions: Counter[str]
    focus: Counter[str]
    shares: dict[str, float]
    memo: dict[tuple[object, ...], Choice | None]
    scored: dict[tuple[object, ...], list[Scored]]


# Ways of matching loose enough that a place matched so, in another country than the places
# named with it, is a namesake and not the place meant ("Komarovka" → a Komarivka in Ukraine,
# in a list of villages in Russia's Kursk region).
_LOOSE = frozenset({"news spelling", "alternate name", "former name"})


def _strays_from(choice: Choice, region_code: str) -> bool:
    place = choice.place
    country = region_code.split("-")[0]
    return choice.how in _LOOSE and place.kind == "settlement" and place.country_code != country


def _placeable(found: Sequence[_Found], groups: Sequence[Sequence[int]]) -> list[_Found]:
    """Drop names the gazetteer lacks unless the words around them say they are places: a kind
    word ("the village of …", "… airfield"), an owner ("Russia's …"), or a list (`groups`, see
    `lists_of`) that holds a settlement named as such or a known settlement."""
    if all(f.span.known for f in found):
        return list(found)
    keep = [f.span.known or bool(f.span.cue) or f.owner is not None for f in found]
    for group in groups:
        if len(group) < 2:
            continue
        placed = any(
            found[i].span.cue in ("settlement", "facility")
            or (found[i].span.known and any(m.place.kind == "settlement" for m in found[i].matches))
            for i in group
        )
        if placed:
            for i in group:
                keep[i] = True
    return [f for f, k in zip(found, keep, strict=True) if k]


@dataclass(frozen=True, slots=True)
class _Anchor:
    """Where a list places its unknown members: the region of its known places, and the one
    known place itself where there is only one."""

    region: str
    why: str
    near: Place | None


def _list_anchors(
    found: Sequence[_Found], groups: Sequence[Sequence[int]], choices: Sequence[Choice | None],
    settings: Sequence[Setting],
) -> dict[int, _Anchor]:
    """For the members of a list that are unknown or matched only loosely in another country:
    the region where the list's other places, matched by their own names, lie."""
    anchors: dict[int, _Anchor] = {}
    for group in groups:
        if len(group) < 2:
            continue
        firm = [
            c.place for i in group if (c := choices[i]) is not None
            and c.how in ("name", "alias") and c.place.kind == "settlement" and c.place.admin1_iso
        ]
        regions = {p.admin1_iso for p in firm}
        if len(regions) != 1 or settings[group[0]].list_region:
            continue
        region = regions.pop()
        assert region is not None
        why = f"where {', '.join(sorted({p.name for p in firm}))}, named in the same list, lies"
        near = firm[0] if len(firm) == 1 else None
        for i in group:
            choice = choices[i]
            if choice is None or _strays_from(choice, region):
                anchors[i] = _Anchor(region, why, near)
    return anchors


# Words in a sentence that make a list of region names a list of regions: "annexed Luhansk,
# Donetsk, Zaporizhia and Kherson", "in Zaporizhzhia and Kherson … in those regions".
_REGION_CONTEXT = re.compile(r"\b(?:regions|oblasts|provinces|annex(?:ed|ation|es)?)\b", re.IGNORECASE)
_SENTENCE_WINDOW = 200
_SENTENCE_END = re.compile(r"[.!?]\s")


def _names_regions(group: Sequence[int], found: Sequence[_Found], text: str) -> bool:
    """A list of two or more names, each the name of a region of one country, in a sentence
    that speaks of regions or annexation."""
    if len(group) < 2:
        return False
    countries = set()
    for i in group:
        codes = {m.place.country_code for m in found[i].matches if m.place.kind == "admin1"}
        if not codes:
            return False
        countries |= codes
    if len(countries) != 1:
        return False
    first, last = found[group[0]].span, found[group[-1]].span
    before = _SENTENCE_END.split(text[max(0, first.start - _SENTENCE_WINDOW) : first.start])[-1]
    after = _SENTENCE_END.split(text[last.end : last.end + _SENTENCE_WINDOW])[0]
    return bool(_REGION_CONTEXT.search(before) or _REGION_CONTEXT.search(after))


def _shifted(span: NameSpan, by: int, sentence: int) -> NameSpan:
    return NameSpan(
        span.start + by, span.end + by, span.text, span.key, span.cue, span.cue_text, sentence, span.known
    )


def _renamed_keys(spans: Sequence[NameSpan]) -> dict[str, str]:
    """The keys of names that begin with a dropped Soviet word → the rest of the name."""
    renamed = {}
    for span in spans:
        if span.key.startswith(_RENAMED_STARTS):
            words = span.key.split()
            if words[0] in _RENAMED_PREFIXES and len(words) > 1:
                renamed[span.key] = " ".join(words[1:])
    return renamed


def _former_names(matches: Sequence[NameMatch]) -> list[NameMatch]:
    return [
        NameMatch(match.place, "former name") for match in matches
        if match.place.country_code == "UA" and match.place.kind == "settlement"
    ]


def _usable(matches: Sequence[NameMatch], include_demonyms: bool) -> list[NameMatch] | None:
    """The matches a name may resolve to: a demonym, a seat of government or a short form such
    as "U.S." stands for that alone, and only where demonyms are wanted (an empty list: the
    name is known, and no place); continents only where demonyms are wanted too."""
    actors = [m for m in matches if m.how in ACTOR_HOWS]
    if actors:
        return actors if include_demonyms else []
    if include_demonyms:
        return list(matches)
    places = [m for m in matches if m.place.kind != "continent"]
    return places if places else None


def _fitting_cue(span: NameSpan, matches: Sequence[NameMatch]) -> tuple[NameMatch, ...]:
    """Keep the matches of the kind the cue word names, where there are any."""
    wanted: tuple[str, ...]
    if not span.cue:
        return tuple(matches)
    if span.cue == "region":
        wanted = ("admin1", "admin2")
    elif span.cue == "district":
        wanted = ("admin2",)
    elif span.cue == "settlement":
        wanted = ("settlement",)
    elif span.cue == "facility":
        wanted = ("settlement", "facility")
    else:
        return tuple(matches)
    fitting = tuple([m for m in matches if m.place.kind in wanted])
    return fitting or tuple(matches)


def _owner_country(previous: _Found | None, span: NameSpan, text: str) -> str | None:
    if previous is None or previous.span.sentence != span.sentence:
        return None
    if not _OWNER_GAP.fullmatch(text, previous.span.end, span.start):
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
    counted: list[str] = []
    said: dict[tuple[str, str, str | None], tuple[str, ...]] = {}  # a name said again counts again
    for f in found:
        slot = (f.span.key, f.span.cue, f.owner)  # what a name's matches depend on
        countries = said.get(slot)
        if countries is None:
            countries = said[slot] = _countries_of(f.matches)
        counted.extend(countries)
    return Counter(counted)


def _countries_of(matches: Sequence[NameMatch]) -> tuple[str, ...]:
    """The countries a name counts for: those it names, else the one all its matches lie in."""
    named = {m.place.country_code for m in matches if m.place.kind == "country"}
    if named:
        return tuple([c for c in named if c])
    every = {m.place.country_code for m in matches if m.how != "alternate name"}
    if len(every) == 1 and None not in every:
        return tuple([c for c in every if c])
    return ()


def _settings(
    found: Sequence[_Found], groups: Sequence[Sequence[int]], afters: Sequence[int | None],
    regions: dict[int, str], region_names: dict[int, str],
) -> list[Setting]:
    """What each name's sentence and list say about where it is; `afters` holds the
    `region_after` of each group."""
    spans = [f.span for f in found]
    sentence_regions: dict[int, set[str]] = {}
    for i, code in regions.items():
        sentence_regions.setdefault(spans[i].sentence, set()).add(code)
    in_sentence: dict[int, list[int]] = {}
    for j, span in enumerate(spans):
        if j not in regions:
            in_sentence.setdefault(span.sentence, []).append(j)
    place_in_sentence = {j: k for names in in_sentence.values() for k, j in enumerate(names)}
    frozen_regions = {sentence: frozenset(codes) for sentence, codes in sentence_regions.items()}
    no_regions: frozenset[str] = frozenset()
    settings: list[Setting] = [Setting(None, None, no_regions, ())] * len(found)
    for group, after in zip(groups, afters, strict=True):
        list_region = regions.get(after) if after is not None else None
        list_name = region_names.get(after) if after is not None else None
        for k, i in enumerate(group):
            sentence = spans[i].sentence
            if len(group) > 1:
                neighbours = _named_beside(group, k)
            else:
                others = in_sentence.get(sentence, [])
                neighbours = _named_beside(others, place_in_sentence[i]) if i in place_in_sentence else ()
            settings[i] = Setting(list_region, list_name, frozen_regions.get(sentence, no_regions), neighbours)
    return settings


# How many names on each side of a name in its list or sentence count as its neighbours: places
# named together lie together, and those named closest most (a list of hundreds of villages would
# otherwise make every name weigh every other).
NEIGHBOURS_EACH_SIDE = 12


def _named_beside(names: Sequence[int], k: int) -> tuple[int, ...]:
    """The names next to names[k], up to NEIGHBOURS_EACH_SIDE on each side, in order."""
    return tuple(names[max(0, k - NEIGHBOURS_EACH_SIDE):k]) + tuple(names[k + 1:k + 1 + NEIGHBOURS_EACH_SIDE])


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
