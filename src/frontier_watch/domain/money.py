"""Exact money: the one conversion from source price text to stored integers.

Prices are stored as integer nano-dollars (1e-9 USD) per million tokens, so a
per-token string such as "0.00000027" becomes exactly 270_000_000 (0.27 USD per
million) with no float round-trip anywhere on the way.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

from frontier_watch.domain.errors import UnreadableValue
from frontier_watch.domain.plausible import MAX_USD_PER_MTOK, MAX_USD_PER_REQUEST

NANO = Decimal(1_000_000_000)
MILLION = Decimal(1_000_000)

# A price above MAX_USD_PER_MTOK (or a fee above MAX_USD_PER_REQUEST) is a data error:
# the bounds are stated with every other bound, in plausible.py.
# The smallest price the store can hold: one nano-dollar per million tokens.
RESOLUTION = Decimal(1) / NANO


class PriceError(ValueError):
    """A price value that cannot be stored: missing, non-numeric, negative or absurd."""


def parse_decimal(value: object) -> Decimal:
    """Read a price from a JSON string or number without going through binary floats.

    JSON numbers that the parser already turned into floats are read through
    ``repr``, which is the shortest text that round-trips, so ``2.8e-07`` stays
    ``2.8e-07`` rather than ``2.79999...e-07``.
    """
    if isinstance(value, bool) or value is None:
        raise PriceError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise PriceError("empty price")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise PriceError(f"not a number: {value!r}") from None
    else:
        raise PriceError(f"not a number: {value!r}")
    if not number.is_finite():
        raise PriceError(f"not a finite number: {value!r}")
    return number


def checked_per_mtok(usd_per_mtok: Decimal, *, what: str = "price") -> Decimal:
    """Reject negative, absurd and vanishing per-million prices; return the value unchanged.

    A price above zero but below a nano-dollar per million tokens (the store's resolution)
    would be stored as 0 and read as free: it is refused, not rounded away.
    """
    if usd_per_mtok < 0:
        raise PriceError(f"negative {what}: {usd_per_mtok}")
    if usd_per_mtok > MAX_USD_PER_MTOK:
        raise PriceError(f"absurd {what}: {usd_per_mtok} USD per million tokens")
    if 0 < usd_per_mtok < RESOLUTION:
        raise PriceError(
            f"absurd {what}: {usd_per_mtok} USD per million tokens is below the store's resolution"
        )
    return usd_per_mtok


# A sheet repeats the same few hundred prices thousands of times: convert each value once.
_CACHE_LIMIT = 65536
_per_mtok_of_token: dict[tuple[type, object], Decimal] = {}


def per_token_to_per_mtok(value: object, *, what: str = "price") -> Decimal:
    """USD per token (string or number) to USD per million tokens, exactly."""
    key = (type(value), value)
    try:
        return _per_mtok_of_token[key]
    except (KeyError, TypeError):  # TypeError: a value that cannot be hashed (a signalling NaN)
        pass
    number = parse_decimal(value)
    if number < 0:
        raise PriceError(f"negative {what}: {value!r}")
    if number > MAX_USD_PER_MTOK / MILLION:
        raise PriceError(f"absurd {what}: {value!r} USD per token")
    if 0 < number * MILLION < RESOLUTION:
        raise PriceError(f"absurd {what}: {value!r} USD per token is below the store's resolution")
    result = _normalise(number * MILLION)
    if len(_per_mtok_of_token) >= _CACHE_LIMIT:
        _per_mtok_of_token.clear()
    _per_mtok_of_token[key] = result
    return result


def per_mtok(value: object, *, what: str = "price") -> Decimal:
    """USD per million tokens (string or number), validated."""
    return _normalise(checked_per_mtok(parse_decimal(value), what=what))


def per_request(value: object, *, what: str = "request fee") -> Decimal:
    """USD per request, validated."""
    number = parse_decimal(value)
    if number < 0:
        raise PriceError(f"negative {what}: {value!r}")
    if number > MAX_USD_PER_REQUEST:
        raise PriceError(f"absurd {what}: {value!r} USD per request")
    return _normalise(number)


def nano_prices(prices: tuple[Decimal | None, ...]) -> tuple[int | None, ...]:
    """Several USD amounts to nano-dollars at once (a segment's prices), None kept as None."""
    return _nano_tuple(prices)


@functools.lru_cache(maxsize=_CACHE_LIMIT)  # segments of one sheet share their price sets
def _nano_tuple(prices: tuple[Decimal | None, ...]) -> tuple[int | None, ...]:
    return tuple(None if usd is None else _to_nano(usd) for usd in prices)


def to_nano(usd: Decimal | None) -> int | None:
    """USD amount to integer nano-dollars (banker's rounding below 1e-9 USD)."""
    if usd is None:
        return None
    return _to_nano(usd)


@functools.lru_cache(maxsize=_CACHE_LIMIT)
def _to_nano(usd: Decimal) -> int:
    return int((usd * NANO).to_integral_value())


def from_nano(nano: int | None) -> Decimal | None:
    """Integer nano-dollars back to an exact USD Decimal.

    A stored price that is not a number (text written into the column by hand) is an
    UnreadableValue, one line, never a traceback; ``db check`` names its row.
    """
    if nano is None:
        return None
    try:
        return _from_nano(nano)
    except (ArithmeticError, TypeError, ValueError):
        raise UnreadableValue(  # prices are stored in price_interval's *_nusd columns only
            f"the database holds a price it cannot read: price_interval has {str(nano)[:40]!r}, not a "
            "whole number of nano-dollars; correct or delete that row (db check names it)"
        ) from None


@functools.lru_cache(maxsize=16384)  # a few thousand distinct prices, read thousands of times
def _from_nano(nano: int) -> Decimal:
    return _normalise(Decimal(nano) / NANO)


def to_json_number(usd: Decimal | None) -> int | float | None:
    """A Decimal as the JSON number a reader expects (0.27, not "0.27" or 0.27000000001)."""
    if usd is None:
        return None
    if usd == usd.to_integral_value():
        return int(usd)
    # float(Decimal) picks the nearest double, whose repr is the short decimal text.
    return float(usd)


def format_usd(usd: Decimal | None) -> str:
    """Human text for a per-million price: no exponent, no trailing zeros."""
    if usd is None:
        return "-"
    text = format(usd, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _normalise(number: Decimal) -> Decimal:
    # Drop exponent noise (2.70E-1 -> 0.27) while keeping the value exact.
    normalised = number.normalize()
    if normalised == normalised.to_integral_value():
        return normalised.quantize(Decimal(1))
    return normalised
