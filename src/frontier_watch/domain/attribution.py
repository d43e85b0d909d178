"""Which model a stored price answers for, and on which days.

A source states a price with dates; what it may answer for is narrower:

* A moving alias (``deepseek-chat``) served one model on each span of days, so a price of
  the alias is the price of the model it served on that day: the interval is split where the
  alias moved. A price with no start date is the price of the model the alias served when
  the price was first seen (or, for a price that states only its end, just before that end).
* A price answers for no day before its model's release day and none from its retirement
  day on. A month-precision start (2024-11-01 for a model released on 2024-11-18) begins at
  the release day.
* A price with no date at all answers from the day its source was first seen to carry it
  (for a shipped snapshot, the snapshot's date), never from the model's release day: an
  aggregator listing today's price without a date says nothing about the launch price, so
  stretching it back to the release put today's price on days it was not in force (llm-prices'
  gpt-4o 2.5/10 beside the true 5/15 in 2024).
* A price whose source states when it ended but not when it began (the first of a dated
  series: GPT-5.6 Luna's launch price 1/6 "until 2026-07-30") answers up to that end, even
  when the source was first seen after it: first seen says when we looked, and the source
  states an earlier day. It answers from a lower bound, never since ever: the model's release
  day when one is known; else the earliest day the store has dated evidence that the model
  was on sale (any source, any seller: a dated price's start, a source's listing date), or the
  day this price was first seen when that is earlier; else (nothing dated) from when first
  seen, so a price closed before it was first seen answers for no day.

Each narrowed piece keeps the reason, and the stored interval keeps the source's own dates.
Pure functions of their arguments: the store loads the lives and spans, this decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True, slots=True)
class Life:
    """A model's life: released on ``released`` (inclusive), retired on ``retired`` (no price from then)."""

    released: date | None = None
    retired: date | None = None
    released_from: str | None = None  # where the release day comes from
    retired_from: str | None = None
    # The earliest day the store dates the model on sale (a dated price's start or a listing),
    # and who says so: the lower bound of a price that states only its end, when no release
    # day is known.
    on_sale: date | None = None
    on_sale_from: str | None = None

    def released_at(self) -> datetime | None:
        return None if self.released is None else datetime.combine(self.released, time.min)

    def on_sale_at(self) -> datetime | None:
        return None if self.on_sale is None else datetime.combine(self.on_sale, time.min)

    def retired_at(self) -> datetime | None:
        return None if self.retired is None else datetime.combine(self.retired, time.min)


@dataclass(frozen=True, slots=True)
class ModelSpan:
    """The model an offering's alias served from ``valid_from`` (inclusive) to ``valid_to``."""

    model_id: str
    valid_from: datetime | None
    valid_to: datetime | None

    def covers(self, moment: datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= moment) and (
            self.valid_to is None or moment < self.valid_to
        )


@dataclass(frozen=True, slots=True)
class Piece:
    """The days a stored price answers for one model: [start, end), with why it was narrowed.

    ``start`` None would be since ever: ``answering_pieces`` never makes one (every price
    answers from a day: its start, a bound or when first seen); ``end`` None: open-ended.
    ``empty`` pieces answer for no day at all (kept so a listing can say why).
    """

    model_id: str | None
    start: datetime | None
    end: datetime | None
    clipped: str | None = None

    @property
    def empty(self) -> bool:
        return self.start is not None and self.end is not None and self.end <= self.start

    def covers(self, moment: datetime) -> bool:
        return (
            not self.empty
            and (self.start is None or self.start <= moment)
            and (self.end is None or moment < self.end)
        )


# A frame of attributed price pieces, one row per piece: store/frames.py builds it from the
# reads and analytics/capability.py prices models on days from it. Its columns are stated
# here once, below both (analytics never imports the store).
PIECE_PRICE_COLUMNS = (  # what pricing a model on a day reads
    "model_id",
    "lab",
    "provider",
    "platform",
    "source",
    "offering_id",
    "tier",
    "answers_from",
    "answers_to",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "flag",
)
PIECE_SOURCE_COLUMNS = ("model_name", "basis", "source_url", "evidence")  # where the price comes from
PIECE_COLUMNS = (*PIECE_PRICE_COLUMNS, *PIECE_SOURCE_COLUMNS)

NO_LIFE = Life()


def answering_pieces(
    effective_from: datetime | None,
    effective_to: datetime | None,
    first_seen_at: datetime,
    model_id: str | None,
    spans: Sequence[ModelSpan] = (),
    lives: Mapping[str, Life] | None = None,
) -> list[Piece]:
    """The pieces of one stored interval: one per model it answered for, each within that model's life."""
    lives = lives or {}
    if not spans:
        stated_end = effective_to if effective_from is None else None
        return [
            _within_life(
                effective_from, effective_to, first_seen_at, model_id, lives, None, stated_end=stated_end
            )
        ]
    if effective_from is None:
        # An undated price of a moving alias is the price of what it served when first seen,
        # or, for a price the source had already closed by then, just before it closed.
        seen = first_seen_at
        if effective_to is not None and effective_to <= first_seen_at:
            seen = effective_to - timedelta(microseconds=1)
        span = _span_at(spans, seen)
        if span is None:
            return [Piece(None, first_seen_at, first_seen_at, "no model known for the alias then")]
        when = "when this price was first seen" if seen is first_seen_at else "when this price ended"
        moved = f"no start date: the alias served {span.model_id} {when}"
        start = span.valid_from
        end = _earliest(effective_to, span.valid_to)
        return [
            _within_life(
                start, end, first_seen_at, span.model_id, lives, moved, undated=True, stated_end=effective_to
            )
        ]
    pieces = []
    for span in spans:
        start = _latest(effective_from, span.valid_from)
        end = _earliest(effective_to, span.valid_to)
        if start is not None and end is not None and end <= start:
            continue
        split = None
        if start != effective_from or end != effective_to:
            split = (
                f"the alias served {span.model_id} from {_day(span.valid_from, 'the start')} "
                f"until {_day(span.valid_to, 'now')}"
            )
        pieces.append(_within_life(start, end, first_seen_at, span.model_id, lives, split))
    return pieces or [Piece(None, effective_from, effective_from, "the alias served no known model then")]


def piece_on(pieces: Sequence[Piece], moment: datetime) -> Piece | None:
    """The piece in force at ``moment``, if any."""
    return next((piece for piece in pieces if piece.covers(moment)), None)


def _within_life(
    start: datetime | None,
    end: datetime | None,
    first_seen_at: datetime,
    model_id: str | None,
    lives: Mapping[str, Life],
    reason: str | None,
    *,
    undated: bool | None = None,
    stated_end: datetime | None = None,
) -> Piece:
    reasons = [reason] if reason else []
    life = lives.get(model_id, NO_LIFE) if model_id else NO_LIFE
    released, retired = life.released_at(), life.retired_at()
    no_start = undated if undated is not None else start is None
    if no_start and stated_end is not None:
        # The source dates the price by its end: up to it, from a lower bound. (A moving
        # alias's span start is one already: the crosswalk dates when the alias served the model.)
        if released is not None and (start is None or start < released):
            start = released
            reasons.append(
                f"no start date: in force until {_day(stated_end)}, from the release on {_day(released)} "
                f"({life.released_from or 'release'})"
            )
        elif released is None and start is None:
            start, why = stated_end_bound(life, first_seen_at, stated_end)
            reasons.append(why)
    elif no_start:
        start = first_seen_at if start is None or start < first_seen_at else start
        reasons.append(f"no start date: answers from when first seen, {_day(first_seen_at)}")
        if released is not None and start < released:  # seen before the release: the release bounds it
            start = released
    elif released is not None and start is not None and start < released:
        reasons.append(
            f"starts before the model's release on {_day(released)} ({life.released_from or 'release'})"
        )
        start = released
    if retired is not None and (end is None or end > retired):
        reasons.append(f"the model was retired on {_day(retired)} ({life.retired_from or 'retirement'})")
        end = retired
    return Piece(model_id, start, end, "; ".join(reasons) or None)


def stated_end_bound(life: Life, first_seen_at: datetime, stated_end: datetime) -> tuple[datetime, str]:
    """The day a price with a stated end and no start answers from, for a model with no known
    release day, and why: the earliest day the store dates the model on sale, unless this
    price was first seen earlier; with nothing dated, when first seen (so a price closed
    before it was first seen answers for no day)."""
    on_sale = life.on_sale_at()
    if on_sale is not None and on_sale <= first_seen_at:
        return on_sale, (
            f"no start date: in force until {_day(stated_end)}, from {_day(on_sale)}, the earliest "
            f"day a source dates the model on sale ({life.on_sale_from or 'a dated price'})"
        )
    return first_seen_at, (
        f"no start date: in force until {_day(stated_end)}; no release day and no earlier dated "
        f"evidence of sale known: answers from when first seen, {_day(first_seen_at)}"
    )


def _span_at(spans: Sequence[ModelSpan], moment: datetime) -> ModelSpan | None:
    found = next((span for span in spans if span.covers(moment)), None)
    if found is None:  # seen after the last span ended: the latest span
        earlier = [span for span in spans if span.valid_from is None or span.valid_from <= moment]
        found = earlier[-1] if earlier else None
    return found


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _day(moment: datetime | date | None, unbounded: str = "ever") -> str:
    return unbounded if moment is None else moment.isoformat()[:10]
