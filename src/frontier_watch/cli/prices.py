"""``prices`` and ``history``: the prices in force on a day, and every interval of a model."""

from __future__ import annotations

import argparse
from typing import Any

from frontier_watch.cli.common import (
    EXIT_OK,
    UsageError,
    emit,
    explain_no_match,
    reader_from,
    suggest_models,
)


def cmd_prices(args: argparse.Namespace) -> int:
    from frontier_watch.domain.clock import as_of_instant, utc_now
    from frontier_watch.render import answer_rows, public_rows
    from frontier_watch.store import price_reads

    kinds = _kinds(args)
    settings, reader = reader_from(args)
    with reader:
        if args.unmatched:
            emit(args, price_reads.unmatched_offerings(reader), public_rows.UNMATCHED)
            return EXIT_OK
        as_of = as_of_instant(args.as_of, utc_now())
        rows = price_reads.prices_as_of(
            reader,
            as_of,
            model=args.model or args.family,
            family=bool(args.family),
            source=args.source,
            tier=args.tier,
            kinds=kinds,
        )
        if not rows:
            _explain_empty_prices(reader, args)
    records, listing = _answered_records(
        rows, offerings=args.offerings, disagreements=args.disagreements, for_table=not args.json
    )
    if args.blended and records:
        records = _with_blended_price(records, settings)
        listing = public_rows.with_blended(listing)
    emit(args, records, answer_rows.fitted_to_rows(listing, records), _no_prices_message(args, kinds))
    return EXIT_OK


def _kinds(args: argparse.Namespace):
    """The kinds of model to show: ``--kind`` (repeatable, comma lists, ``all``); without it,
    language models, except that a model asked for by name is shown whatever its kind."""
    from frontier_watch.domain.model_kind import KindError, wanted_kinds

    if not args.kind and args.model:
        return None
    try:
        return wanted_kinds(args.kind)
    except KindError as exc:
        raise UsageError(str(exc)) from None


def _answered_records(
    rows, *, offerings: bool, disagreements: bool, for_table: bool
) -> tuple[list[dict[str, Any]], Any]:
    """The default: one record per model, seller, tier and variant (the reference and why, or
    no reference and why not); with ``offerings``, every row as stored, each with its variant
    and its verdict in its model's answer; with ``disagreements``, the rows of the answers where
    sources disagree."""
    from frontier_watch.domain.variants import offering_variant
    from frontier_watch.render import answer_rows, public_rows
    from frontier_watch.reports.model_answer import answers_by_model, verdicts_by_row

    answered = answers_by_model(rows)
    if disagreements:
        records = [
            answer_rows.judged_record(
                judged.row,
                judged.verdict,
                judged.note,
                variant=offering_variant(judged.row["offering_id"], judged.row["model_id"]),
                for_table=for_table,
            )
            for item in answered
            if item.disagrees()
            for judged in item.evidence
        ]
        return records, public_rows.DISAGREEMENTS
    if offerings:
        verdicts = verdicts_by_row(answered)
        records = []
        for row in rows:
            judged = verdicts.get(id(row))
            records.append(
                answer_rows.judged_record(
                    row,
                    judged.verdict if judged else None,
                    judged.note if judged else None,
                    variant=offering_variant(row["offering_id"], row["model_id"]),
                    for_table=for_table,
                )
            )
        return records, answer_rows.OFFERINGS
    records = [
        answer_rows.model_answer_record(
            item.reference,
            item.answer.why,
            [(judged.row, judged.verdict, judged.note) for judged in item.evidence],
            variant=item.answer.variant,
            for_table=for_table,
            reference=item.has_reference,
        )
        for item in answered
    ]
    return records, answer_rows.MODEL_PRICES


def _with_blended_price(records: list[dict[str, Any]], settings) -> list[dict[str, Any]]:
    from frontier_watch.analytics.prices import blended_price
    from frontier_watch.store.frames import price_frame

    frame = blended_price(price_frame(records), settings.blend_input_weight, settings.blend_output_weight)
    blends = frame.get_column("blended_usd_per_mtok").to_list()
    return [
        {**record, "blended_usd_per_mtok": _round_usd(blend)}
        for record, blend in zip(records, blends, strict=True)
    ]


def _round_usd(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _explain_empty_prices(reader, args: argparse.Namespace) -> None:
    from frontier_watch.store import catalog, price_reads

    asked = args.model or args.family
    if asked and not price_reads.price_history(reader, asked, family=bool(args.family)):
        suggest_models(reader, asked)
    if args.source and args.source not in (known := catalog.known_values(reader, "source")):
        explain_no_match("source", args.source, known)
    if args.tier and args.tier not in (known := catalog.known_values(reader, "tier")):
        explain_no_match("tier", args.tier, known)


def _no_prices_message(args: argparse.Namespace, kinds) -> str:
    parts = ["no disagreeing prices" if args.disagreements else "no prices"]
    if kinds is not None:
        parts.append(f"of {' or '.join(sorted(kinds))} models")
    if args.model:
        parts.append(f"for {args.model!r}")
    if args.family:
        parts.append(f"for the {args.family!r} family")
    if args.source:
        parts.append(f"from source {args.source!r}")
    if args.tier:
        parts.append(f"in tier {args.tier!r}")
    if args.as_of:
        parts.append(f"in force on {args.as_of.isoformat()}")
    if kinds is not None and not args.kind:
        parts.append("(--kind all shows every kind)")
    return " ".join(parts)


def cmd_history(args: argparse.Namespace) -> int:
    """The model's timeline (the reference price's segments per seller, tier and variant); with
    ``--offerings`` every raw interval of its offerings."""
    from frontier_watch.render import answer_rows, public_rows
    from frontier_watch.store import price_reads

    if not getattr(args, "offerings", False):
        return _timeline(args)
    _, reader = reader_from(args)
    with reader:
        rows = price_reads.price_history(reader, args.model, family=args.family)
        if not rows:
            suggest_models(reader, args.model)
    records = [public_rows.price_record(row, for_table=not args.json) for row in rows]
    if not args.json:
        for record in records:
            if record.get("superseded_at") is not None:
                record["basis"] = f"{record['basis']} (restated)"
    emit(
        args,
        records,
        answer_rows.fitted_to_rows(public_rows.HISTORY, records),
        f"no price history for {args.model!r}",
    )
    return EXIT_OK


def _timeline(args: argparse.Namespace) -> int:
    from frontier_watch.render import answer_rows, timeline_rows
    from frontier_watch.reports.model_timeline import model_timeline

    _, reader = reader_from(args)
    with reader:
        segments = model_timeline(reader, args.model, family=args.family)
        if not segments:
            suggest_models(reader, args.model)
    records = [timeline_rows.segment_record(segment, for_table=not args.json) for segment in segments]
    emit(
        args,
        records,
        answer_rows.fitted_to_rows(timeline_rows.TIMELINE, records),
        f"no price history for {args.model!r}",
    )
    return EXIT_OK
