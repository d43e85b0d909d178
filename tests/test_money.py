from decimal import Decimal

import pytest

from frontier_watch.domain import money


@pytest.mark.parametrize(
    ("per_token", "per_million"),
    [
        ("0.00000027", Decimal("0.27")),
        ("0.000000095", Decimal("0.095")),
        ("0.0000003", Decimal("0.3")),
        ("0.000015", Decimal("15")),
        ("0", Decimal("0")),
        (Decimal("2.8E-7"), Decimal("0.28")),
        (2.8e-07, Decimal("0.28")),
        ("1.00002e-06", Decimal("1.00002")),
    ],
)
def test_per_token_text_converts_exactly(per_token, per_million):
    converted = money.per_token_to_per_mtok(per_token)
    assert converted == per_million
    assert str(converted) == str(per_million)


def test_point_27_is_never_point_26999():
    nano = money.to_nano(money.per_token_to_per_mtok("0.00000027"))
    assert nano == 270_000_000
    assert money.from_nano(nano) == Decimal("0.27")
    assert money.to_json_number(money.from_nano(nano)) == 0.27
    assert repr(money.to_json_number(money.from_nano(nano))) == "0.27"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "empty price"),
        ("abc", "not a number"),
        ("-0.000001", "negative"),
        ("1e308", "absurd"),
        ("NaN", "not a finite number"),
        ("Infinity", "not a finite number"),
        (None, "not a number"),
        (True, "not a number"),
    ],
)
def test_bad_prices_are_refused_with_a_reason(value, message):
    with pytest.raises(money.PriceError, match=message):
        money.per_token_to_per_mtok(value)


def test_per_million_prices_over_the_ceiling_are_absurd():
    assert money.per_mtok("600") == Decimal("600")
    with pytest.raises(money.PriceError, match="absurd"):
        money.per_mtok("10001")


def test_format_usd_has_no_exponent_or_trailing_zeros():
    assert money.format_usd(Decimal("0.2700")) == "0.27"
    assert money.format_usd(Decimal("60")) == "60"
    assert money.format_usd(money.per_token_to_per_mtok("2.8e-9")) == "0.0028"
    assert money.format_usd(None) == "-"
