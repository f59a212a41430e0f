import pytest

from claimline.quantities import find_quantities, parse_number


def _found(text: str) -> list[tuple[float, str | None, str | None, bool]]:
    return [(q.value, q.key, q.qualifier, q.in_parentheses) for q in find_quantities(text)]


@pytest.mark.parametrize(("text", "value"), [("1,000", 1000), ("nine", 9), ("twenty-five", 25), ("5.5", 5.5)])
def test_numbers_in_digits_and_words(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_counts_name_what_they_count() -> None:
    assert _found("Russia launched 112 drones and seven missiles") == [
        (112, "drones", None, False), (7, "missiles", None, False)]


def test_range_keeps_the_upper_bound_and_units_given_twice_are_marked() -> None:
    found = _found("a zone 70 to 120 kilometres (40 to 75 miles) deep")
    assert found[0] == (120, "distance_km", None, False)
    assert found[1][3] is True


def test_money_with_scale_and_symbol() -> None:
    assert _found("worth 1.2 billion euros ($1.3bn)")[0] == (1_200_000_000, "amount_eur", None, False)
    assert _found("valued at €5 billion")[0] == (5_000_000_000, "amount_eur", None, False)


def test_qualifiers_are_kept() -> None:
    assert _found("at least three civilians")[0] == (3, "people", "at least", False)
    assert _found("over 556 square kilometres")[0] == (556, "area_km2", "over", False)


def test_dates_and_years_are_not_quantities() -> None:
    assert _found("On March 4, 2025 the attack began") == []
