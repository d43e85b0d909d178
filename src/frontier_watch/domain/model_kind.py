"""What kind of model a price is for: a language model, an embedding model, a reranker...

Price views compare language models; an embedding model or a reranker at $0.01 would top any
"cheapest" list and mean nothing there. The kind is never guessed from a name: each source
states it for its own offerings (LiteLLM's ``mode``, OpenRouter's output modalities,
llm-prices' "(image gen)" remark; each source module reads its own words into this
vocabulary), the store keeps what each offering's source stated, and :func:`model_kind`
derives one kind per model from those statements.

(Which models are *reasoning* models is another question: model_kinds.py.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum


class ModelKind(StrEnum):
    """The kinds of model a source can state, as frontier-watch names them."""

    LANGUAGE = "language"  # chat, completion, responses: text (and maybe images) in, text out
    EMBEDDING = "embedding"
    RERANKER = "reranker"
    IMAGE = "image"  # image generation or editing
    AUDIO = "audio"  # speech to text or text to speech
    VIDEO = "video"
    OCR = "ocr"  # documents to text
    MODERATION = "moderation"
    SEARCH = "search"
    TIME_SERIES = "time-series"  # forecasting
    OTHER = "other"  # a kind the source states that none of the above names


KINDS: tuple[str, ...] = tuple(str(kind) for kind in ModelKind)
ALL = "all"  # ``--kind all``: every kind
DEFAULT_KINDS = frozenset({str(ModelKind.LANGUAGE)})  # what price views show unless asked


def model_kind(stated: Iterable[str | None]) -> str:
    """The kind of a model from the kinds its offerings' sources state (None: not stated).

    The rule (README, "What kind of model"): the kind most of its offerings are stated to be;
    where a specialised kind (embedding, reranker, OCR...) ties with ``language``, the
    specialised one (a source that calls a model a reranker is rarely wrong; one that lists it
    as "chat" may only mean it is called through a chat endpoint); between two specialised kinds
    that tie, the first in the vocabulary's order. A model no source states a kind for is a
    language model.
    """
    votes = Counter(kind for kind in stated if kind)
    if not votes:
        return str(ModelKind.LANGUAGE)
    most = max(votes.values())
    tied = [kind for kind, count in votes.items() if count == most]
    specialised = [kind for kind in tied if kind != ModelKind.LANGUAGE]
    if not specialised:
        return str(ModelKind.LANGUAGE)
    return min(specialised, key=lambda kind: KINDS.index(kind) if kind in KINDS else len(KINDS))


class KindError(ValueError):
    """A ``--kind`` value that is not a kind."""


def wanted_kinds(values: Iterable[str] | None) -> frozenset[str] | None:
    """The kinds a ``--kind`` option asks for (repeatable, each a comma list; ``all``: None, no
    filter); no values: the default, language models only. An unknown kind raises KindError
    whose message lists the valid ones."""
    if not values:
        return DEFAULT_KINDS
    wanted: set[str] = set()
    for value in values:
        for part in value.split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name == ALL:
                return None
            if name not in KINDS:
                raise KindError(f"unknown kind {part.strip()!r}: the kinds are {', '.join(KINDS)}, or {ALL}")
            wanted.add(name)
    if not wanted:
        raise KindError(f"--kind needs a kind: the kinds are {', '.join(KINDS)}, or {ALL}")
    return frozenset(wanted)
