"""A synthetic corpus of war reports built from templates, for benchmarks (`claimline bench pipeline`).

Every article is made on demand from its number and the corpus seed, so a corpus of 100,000
articles takes no memory until it is read, and the same number always gives the same text.
The templates mix what the pipeline reads in wire copy: strikes, interceptions, shelling, claims of
captured villages, casualty counts, attributions, and dates absolute, relative and narrative.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from claimline.model import Article

__all__ = ["HARD_SHAPES", "TemplateCorpus", "hard_article"]

_UKRAINIAN_PLACES = (
    "Kharkiv", "Sumy", "Odesa", "Pokrovsk", "Kupiansk", "Kherson", "Nikopol", "Kryvyi Rih", "Izmail",
    "Toretsk", "Chasiv Yar", "Kramatorsk", "Sloviansk", "Orikhiv", "Huliaipole", "Dnipro", "Poltava",
    "Zaporizhzhia", "Kostiantynivka", "Lyman", "Vovchansk", "Chernihiv", "Mykolaiv", "Bilhorod-Dnistrovskyi",
)
_RUSSIAN_PLACES = ("Belgorod", "Kursk", "Sudzha", "Shebekino", "Bryansk", "Voronezh", "Rostov-on-Don", "Tuapse")
_REGIONS = (
    "Donetsk region", "Zaporizhzhia region", "Kharkiv region", "Sumy region", "Kherson region",
    "Dnipropetrovsk region", "Odesa region", "Belgorod region", "Kursk region",
)
_VILLAGES = ("Novenke", "Stepnohirsk", "Mala Tokmachka", "Udachne", "Kotlyne", "Novoolenivka", "Bilohorivka")
_UKRAINIAN_CLAIMANTS = (
    "Ukraine's General Staff", "the Ukrainian air force", "the regional governor", "the head of the regional "
    "military administration", "Ukraine's southern defence forces", "President Volodymyr Zelenskiy",
)
_RUSSIAN_CLAIMANTS = (
    "Russia's Defence Ministry", "the Russian Defence Ministry", "the Kremlin", "Russian-installed officials",
    "the governor of Belgorod region",
)
_WEAPONS = ("drones", "missiles", "guided aerial bombs", "Shahed drones", "ballistic missiles", "artillery shells")
_TARGETS = (
    "a residential building", "the port", "an energy facility", "a railway depot", "a school", "a fuel depot",
    "a warehouse", "a power substation", "private houses", "an industrial facility",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_SAID = ("said", "said on Telegram", "told reporters", "wrote on Telegram", "said in a statement", "reported")

_TEMPLATES = (
    "Russian forces launched {n} {weapon} at {ua} overnight, {ua_claimant} said, and air defences shot down {m} "
    "of them.",
    "A {weapon1} strike on {ua} on {weekday} killed {k} people and wounded {w}, {ua_claimant} {said}.",
    "{ru_claimant} said its forces had captured the village of {village} in {region}, a claim Ukraine did not "
    "confirm.",
    "Ukrainian officials denied that {village} had fallen and said fighting continued on its outskirts.",
    "Air defence units destroyed {n} Ukrainian drones over {ru} and {ru2} overnight, {ru_claimant} said.",
    "Russian artillery shelled {ua} in {region} on {month} {day}, damaging {target} and wounding {w} civilians.",
    "The previous day, {n} {weapon} hit {target} on the outskirts of {ua}, {ua_claimant} said.",
    "Two days later, drones struck {target} near {ru}, the local governor said, adding that nobody was hurt.",
    "{ua_claimant} said its troops had repelled {n} attacks near {village} and {village2} on {weekday}.",
    "According to {ru_claimant}, Russian units improved their positions near {ua} in the {month} fighting.",
    "Ukraine said it struck {target} in {ru} on {weekday} night, causing a large fire.",
    "A {k}-year-old man was killed when a drone hit his car in {ua} on {month} {day}, {year}, officials said.",
    "The claims could not be independently verified.",
    "\"They are throwing people forward in twos and threes,\" a soldier near {ua} said.",
    "Since the start of {month}, Russian forces have advanced about {k} kilometres west of {ua}, analysts said.",
    "{ua_claimant} said {k} people were killed and {w} injured in the attack on {ua} last week.",
    "Earlier this month, Moscow claimed control of {village}, which lies {k} km from {ua}.",
    "Residents of {ua} reported explosions early on {weekday}, and power was cut in several districts.",
)


@dataclass(frozen=True, slots=True)
class TemplateCorpus:
    """`size` synthetic reports of at least `length` characters each, generated lazily from `seed`."""

    size: int
    length: int = 5000
    seed: int = 0

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[Article]:
        return (self.article(number) for number in range(self.size))

    def article(self, number: int) -> Article:
        """Article `number` of the corpus; the same number and seed always give the same text."""
        rng = random.Random(f"{self.seed}:{number}:{self.length}")
        published = date(2024, 1, 1) + timedelta(days=rng.randrange(730))
        paragraphs = [_headline(rng)]
        size = len(paragraphs[0])
        while size < self.length:
            paragraph = " ".join(_sentence(rng, published) for _ in range(rng.randint(2, 4)))
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        return Article(doc_id=f"synthetic-{self.seed}-{number}", text="\n\n".join(paragraphs), published=published)


def _headline(rng: random.Random) -> str:
    return f"{rng.choice(_WEAPONS).capitalize()} hit {rng.choice(_UKRAINIAN_PLACES)} as fighting goes on near " \
           f"{rng.choice(_VILLAGES)}"


def _sentence(rng: random.Random, published: date) -> str:
    earlier = published - timedelta(days=rng.randrange(1, 40))
    weapon = rng.choice(_WEAPONS)
    ua, ua2 = rng.sample(_UKRAINIAN_PLACES, 2)
    ru, ru2 = rng.sample(_RUSSIAN_PLACES, 2)
    village, village2 = rng.sample(_VILLAGES, 2)
    n = rng.randint(3, 120)
    slots = {
        "n": n, "m": rng.randint(1, n), "k": rng.randint(2, 80), "w": rng.randint(1, 40),
        "weapon": weapon, "weapon1": weapon.rstrip("s"), "target": rng.choice(_TARGETS),
        "ua": ua, "ua2": ua2, "ru": ru, "ru2": ru2, "village": village, "village2": village2,
        "region": rng.choice(_REGIONS), "ua_claimant": rng.choice(_UKRAINIAN_CLAIMANTS),
        "ru_claimant": rng.choice(_RUSSIAN_CLAIMANTS), "said": rng.choice(_SAID),
        "weekday": _WEEKDAYS[earlier.weekday()], "month": _MONTHS[earlier.month - 1], "day": earlier.day,
        "year": earlier.year,
    }
    text = rng.choice(_TEMPLATES).format(**slots)
    return text[0].upper() + text[1:]


# Documents news pipelines meet that are shaped unlike news, made from a template article of the
# same length: each would cost the square of its length in a stage that compares a sentence's
# words pairwise, as each makes one sentence of the whole text (or one list of every name).
_STOP_AND_SPACE = re.compile(r"(?<=[.!?])\s+|\n+")


def _without_stops(article: Article) -> str:
    return _STOP_AND_SPACE.sub(" ", article.text).replace(". ", ", ").rstrip(".")


def _quotation_never_closed(article: Article) -> str:
    return "“" + _STOP_AND_SPACE.sub(" ", article.text)


def _one_list_of_places(article: Article) -> str:
    rng = random.Random(article.doc_id)
    names: list[str] = []
    size = 0
    places = _UKRAINIAN_PLACES + _VILLAGES
    while size < len(article.text):
        name = rng.choice(places)
        names.append(name)
        size += len(name) + 2
    return f"Russian forces shelled {', '.join(names)} in {rng.choice(_REGIONS)}."


def _no_spaces(article: Article) -> str:
    return re.sub(r"\s+", "", article.text)


HARD_SHAPES: dict[str, Callable[[Article], str]] = {
    "no full stops": _without_stops,
    "a quotation never closed": _quotation_never_closed,
    "one list of places": _one_list_of_places,
    "no spaces": _no_spaces,
}


def hard_article(article: Article, shape: str) -> Article:
    """The template `article` remade in one of the HARD_SHAPES, about as long, with its metadata."""
    return Article(doc_id=f"{article.doc_id}-{shape.replace(' ', '-')}", text=HARD_SHAPES[shape](article),
                   published=article.published)
