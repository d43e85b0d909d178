"""Sources that disagree about the same price on the same day.

Prices in force on one day are compared within a group: the same model, tier, seller (and
platform) and the same offering id at the seller (a LiteLLM key ``deepseek/deepseek-chat``
and DeepSeek's ``deepseek-chat`` are one offering). Where two or more sources price a group
differently, the reference is the first-party fact (a curated row, taken from the lab's own
announcement) or, without one, the value most sources give; a source that differs from the
reference is the outlier. A stale aggregator (llm-prices still listing o3 at 10/40 after the
cut to 2/8) is then visible, not averaged in. Flagged prices take no part.

Pure functions over rows as lists with a field layout (the store's price rows).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

REFERENCE, OUTLIER, AGREES, DIFFERS = "reference", "outlier", "agrees", "differs"


class Verdict(NamedTuple):
    group: tuple[Any, ...]
    verdict: str  # reference | outlier | agrees | differs (no reference: sources split evenly)
    note: str | None


def _group_key(row: Sequence[Any], at: Mapping[str, int]) -> tuple[Any, ...]:
    offering = str(row[at["offering_id"]]).lower().rsplit("/", 1)[-1]
    return (row[at["model_id"]], row[at["tier"]], row[at["provider"]], row[at["platform"]], offering)


def _value(row: Sequence[Any], at: Mapping[str, int]) -> tuple[Decimal | None, Decimal | None]:
    return (row[at["input"]], row[at["output"]])


def _same(a: tuple[Decimal | None, Decimal | None], b: tuple[Decimal | None, Decimal | None]) -> bool:
    """Equal wherever both sources give the price."""
    return all(x == y for x, y in zip(a, b, strict=True) if x is not None and y is not None)


def _shown(value: tuple[Decimal | None, Decimal | None]) -> str:
    return "/".join("?" if part is None else format(part, "f") for part in value)


def judge(at: Mapping[str, int], rows: Sequence[Sequence[Any]]) -> dict[int, Verdict]:
    """row index -> verdict, for rows in groups where sources disagree (others are left out)."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for index, row in enumerate(rows):
        if row[at["flag"]] is not None or row[at["model_id"]] is None:
            continue
        groups.setdefault(_group_key(row, at), []).append(index)
    verdicts: dict[int, Verdict] = {}
    for key, members in groups.items():
        if len(members) < 2 or len({rows[i][at["source"]] for i in members}) < 2:
            continue
        values = [_value(rows[i], at) for i in members]
        if all(_same(values[0], value) for value in values[1:]):
            continue
        first_party = [i for i in members if rows[i][at["basis"]] == "curated"]
        reference: tuple[Decimal | None, Decimal | None] | None
        if first_party:
            reference = _value(rows[first_party[0]], at)
            by = f"the first-party price ({rows[first_party[0]][at['source']]})"
        else:
            votes = Counter(_value(rows[i], at) for i in members)
            (top, count), *rest = votes.most_common()
            reference, by = (top, "most sources") if not rest or rest[0][1] < count else (None, "")
        for i, value in zip(members, values, strict=True):
            if reference is None:
                verdicts[i] = Verdict(key, DIFFERS, "sources split evenly; no reference")
            elif not _same(value, reference):
                verdicts[i] = Verdict(key, OUTLIER, f"differs from {by}: {_shown(reference)}")
            elif i in first_party or not first_party:
                verdicts[i] = Verdict(key, REFERENCE if i in first_party else AGREES, None)
            else:
                verdicts[i] = Verdict(key, AGREES, None)
    return verdicts


def mark_outliers(at: Mapping[str, int], rows: Sequence[list[Any]]) -> None:
    """Set the ``verdict`` of each row in a disagreeing group, and an outlier's ``outlier`` to why."""
    for index, verdict in judge(at, rows).items():
        rows[index][at["verdict"]] = verdict.verdict
        if verdict.verdict == OUTLIER:
            rows[index][at["outlier"]] = verdict.note
