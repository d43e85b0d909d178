"""Price attribution as rows are read: the model a price row answers for, on which days, and
why its days are narrower than the source's (the rules are domain/attribution.py's)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from frontier_watch.domain.attribution import NO_LIFE, Life, ModelSpan, Piece, answering_pieces, piece_on
from frontier_watch.store.model_lookup import load_lives, load_on_sale, load_spans, model_labels
from frontier_watch.store.reading import Reader


class Attribution:
    """Applies attribution.py to price rows as they are read: the model a row answers for, on
    which days, and why its days are narrower than the source's."""

    def __init__(self, reader: Reader, layout: dict[str, int], rows: list[list[Any]]) -> None:
        self.spans = load_spans(reader)
        model_at = layout["model_id"]
        models = {values[model_at] for values in rows if values[model_at]}
        models |= {span.model_id for spans in self.spans.values() for span in spans}
        self.lives = load_lives(reader, models)
        self._bound_stated_ends(reader, layout, rows)
        self.labels = model_labels(reader, {span.model_id for spans in self.spans.values() for span in spans})
        self._released = {
            model_id: life.released_at() for model_id, life in self.lives.items() if life.released
        }
        self._retired = {model_id for model_id, life in self.lives.items() if life.retired}
        self._at = layout

    def _bound_stated_ends(self, reader: Reader, layout: dict[str, int], rows: list[list[Any]]) -> None:
        """Give the lives of the models a start-less price with a stated end may answer for, and
        whose release day is unknown, the earliest day the store dates them on sale: that price's
        lower bound (attribution.py). Read only for those models (few: most prices have a start)."""
        start, end, pk, model_at = (
            layout["effective_from"],
            layout["effective_to"],
            layout["offering_pk"],
            layout["model_id"],
        )
        needing: set[str] = set()
        for values in rows:
            if values[start] is None and values[end] is not None:
                spans = self.spans.get(values[pk])
                needing.update([span.model_id for span in spans] if spans else [values[model_at]])
        needing = {model_id for model_id in needing if model_id and not self._life(model_id).released}
        if not needing:
            return
        lives = dict(self.lives)
        for model_id, (day, origin) in load_on_sale(reader, needing, self.spans).items():
            lives[model_id] = replace(self._life(model_id), on_sale=day, on_sale_from=origin)
        self.lives = lives

    def _life(self, model_id: str) -> Life:
        return self.lives.get(model_id, NO_LIFE)

    def on(self, values: list[Any], moment: datetime, wanted: frozenset[str] | None = None) -> bool:
        """Place one row on a moment: True (and the row set to its piece) if it answers then."""
        at = self._at
        model_id = values[at["model_id"]]
        start = values[at["effective_from"]]
        spans = self.spans.get(values[at["offering_pk"]])
        if not spans and start is not None and model_id not in self._retired:
            released = self._released.get(model_id)
            if released is None or start >= released:  # most rows: the source's dates stand
                values[at["answers_from"]] = start
                values[at["answers_to"]] = values[at["effective_to"]]
                return wanted is None or model_id in wanted
        piece = piece_on(self._pieces(values, spans), moment)
        if piece is None or (wanted is not None and piece.model_id not in wanted):
            return False
        self._apply(values, piece)
        return True

    def pieces(self, values: list[Any], wanted: frozenset[str] | None = None) -> list[list[Any]]:
        """A row split into the pieces it answers for (history), each a copy set to its piece."""
        spans = self.spans.get(values[self._at["offering_pk"]])
        result = []
        for piece in self._pieces(values, spans):
            if wanted is not None and piece.model_id not in wanted:
                continue
            copy = list(values)
            self._apply(copy, piece)
            result.append(copy)
        return result

    def _pieces(self, values: list[Any], spans: tuple[ModelSpan, ...] | None) -> list[Piece]:
        at = self._at
        return answering_pieces(
            values[at["effective_from"]],
            values[at["effective_to"]],
            values[at["first_seen_at"]],
            values[at["model_id"]],
            spans or (),
            self.lives,
        )

    def _apply(self, values: list[Any], piece: Piece) -> None:
        at = self._at
        if piece.model_id != values[at["model_id"]]:
            name, lab = self.labels.get(piece.model_id or "", (piece.model_id, None))
            values[at["model_id"]] = piece.model_id
            values[at["model_name"]] = name or values[at["offering_name"]]
            values[at["lab"]] = lab
        if piece.empty:
            values[at["answers_from"]] = values[at["answers_to"]] = None
            values[at["clipped"]] = f"answers for no day: {piece.clipped}"
        else:
            values[at["answers_from"]], values[at["answers_to"]] = piece.start, piece.end
            values[at["clipped"]] = piece.clipped
