"""The catalogue of sources: one declarative TOML file per source.

The shipped catalogue is fetchers/ (inside the wheel when installed); a user can add
sources of a known kind in ``<user config dir>/fetchers/`` without touching code. A spec
names a registered kind, and its options are checked against what that kind declares.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from frontier_watch.domain.errors import ConfigurationError
from frontier_watch.domain.vocabulary import EVIDENCE_CLASSES
from frontier_watch.settings.paths import fetchers_dir, user_fetchers_dir
from frontier_watch.sources.spec import SourceSpec

_REQUIRED = ("id", "kind", "url", "schedule", "attribution", "licence", "evidence")


class CatalogueError(ConfigurationError):
    """A source spec is malformed. The message is one line naming the file and key."""


def catalogue_folders() -> list[Path]:
    """Where specs are read from: the shipped catalogue, then the user's own folder."""
    folders = [fetchers_dir()]
    user = user_fetchers_dir()
    if user.is_dir():
        folders.append(user)
    return folders


def load_catalogue(folders: Iterable[Path] | Path | None = None) -> dict[str, SourceSpec]:
    """Every source spec in ``folders`` (the shipped and user catalogues by default), by id."""
    if isinstance(folders, Path):
        folders = [folders]
    specs: dict[str, SourceSpec] = {}
    for folder in folders if folders is not None else catalogue_folders():
        for path in sorted(folder.glob("*.toml")):
            spec = read_spec(path)
            if spec.id in specs:
                raise CatalogueError(
                    f"{path}: duplicate source id {spec.id!r} (also in {specs[spec.id].path})"
                )
            specs[spec.id] = spec
    return specs


def read_spec(path: Path) -> SourceSpec:
    """One spec file, validated against its kind."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{path}: {exc}") from None
    # A url may be empty (or absent) only for kinds that allow it: spec_problem checks that.
    raw.setdefault("url", "")
    missing = [
        key for key in _REQUIRED if not isinstance(raw.get(key), str) or (not raw[key] and key != "url")
    ]
    if missing:
        raise CatalogueError(f"{path}: missing or empty {', '.join(missing)}")
    known = set(SourceSpec.__dataclass_fields__) - {"path"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise CatalogueError(f"{path}: unknown keys {', '.join(unknown)}")
    if raw["evidence"] not in EVIDENCE_CLASSES:
        raise CatalogueError(f"{path}: evidence {raw['evidence']!r} is not an evidence class")
    options = raw.get("options", {})
    if not isinstance(options, dict):
        raise CatalogueError(f"{path}: options: expected a table")
    for key in ("enabled",):
        if key in raw and not isinstance(raw[key], bool):
            raise CatalogueError(f"{path}: {key}: expected true or false")
    spec = SourceSpec(**raw, path=str(path))
    # The shipped schedules are checked by the tests; reading them again would load the
    # cron parser for every command that lists the sources.
    problem = spec_problem(spec, schedule=path.parent.resolve() != fetchers_dir().resolve())
    if problem:
        raise CatalogueError(f"{path}: {problem}")
    return spec


def spec_problem(spec: SourceSpec, *, schedule: bool = True) -> str | None:
    """Why a spec cannot be used with its kind ('key: reason'), or None.

    ``schedule`` False leaves the cron string to the caller (the config checks its own).
    """
    from frontier_watch.sources import kinds

    registered = kinds()
    kind = registered.get(spec.kind)
    if kind is None:
        return f"kind: {spec.kind!r} is not one of {', '.join(sorted(registered))}"
    from frontier_watch.settings.cron import cron_error
    from frontier_watch.sources.spec import source_url_problem

    if not spec.url and not kind.url_optional:
        return "url: missing or empty"
    reason = source_url_problem(spec.url) if spec.url else None
    if reason:
        return f"url: {reason}"
    reason = cron_error(spec.schedule) if schedule else None
    if reason:
        return f"schedule: bad cron string {spec.schedule!r}: {reason}"
    for name, reason in kind.option_problems(spec.options):
        return f"options.{name}: {reason}"
    return None
