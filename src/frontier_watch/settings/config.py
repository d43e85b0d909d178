"""The user's settings: which file wins, what it may say, and one-line errors when it is wrong.

Precedence for the file: ``--config`` > ``$FRONTIER_WATCH_CONFIG`` > ``./config.toml`` >
the user config dir > built-in defaults. Precedence for the database:
``--db`` > ``$FRONTIER_WATCH_DB`` > ``[database] url`` > the user data dir.
"""

from __future__ import annotations

import functools
import math
import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontier_watch.domain.errors import ConfigurationError
from frontier_watch.settings.cron import cron_error
from frontier_watch.settings.paths import default_database_path, user_config_file

if TYPE_CHECKING:  # the catalogue loads only when a command needs the sources
    from frontier_watch.sources.spec import SourceSpec


class ConfigError(ConfigurationError):
    """A config file that cannot be used. The message is one line: file, key, reason."""


class Settings:
    """The settings in force. A plain class (not a dataclass) to keep read commands light."""

    def __init__(
        self,
        *,
        path: Path | None,
        database_url: str,
        export_folder: Path,
        blend_input_weight: float = 3.0,
        blend_output_weight: float = 1.0,
        fetch_timeout_seconds: float = 30.0,
        fetch_attempts: int = 3,
        fetch_backoff_seconds: float = 2.0,
        fetch_max_retry_wait_seconds: float = 120.0,
        warnings: list[str] | None = None,
        source_overrides: dict[str, Any] | None = None,
        catalogue: dict[str, SourceSpec] | None = None,
    ) -> None:
        self.path = path  # the file read, None for built-in defaults
        self.database_url = database_url
        # The user data dir's database (nothing named one): the one location a read may
        # create the folder of, for the first launch; a named path under a missing folder is a typo.
        self.database_is_default = False
        self.export_folder = export_folder
        self.blend_input_weight = blend_input_weight
        self.blend_output_weight = blend_output_weight
        self.fetch_timeout_seconds = fetch_timeout_seconds
        self.fetch_attempts = fetch_attempts
        self.fetch_backoff_seconds = fetch_backoff_seconds
        self.fetch_max_retry_wait_seconds = fetch_max_retry_wait_seconds
        self.warnings = warnings if warnings is not None else []
        # The [sources] tables as written, applied to the catalogue when first needed: with no
        # [sources] table, a command that reads no source (prices, history) loads no catalogue.
        self.source_overrides = source_overrides or {}
        self.catalogue = catalogue

    @functools.cached_property
    def sources(self) -> dict[str, SourceSpec]:
        """Every source spec with the config's overrides applied; ConfigError if one is wrong."""
        from frontier_watch.settings.catalogue import load_catalogue

        where = str(self.path) if self.path else "defaults"
        return _apply_source_overrides(
            self.source_overrides, self.catalogue or load_catalogue(), where, self.warnings
        )

    def enabled_sources(self) -> list[SourceSpec]:
        return [spec for spec in self.sources.values() if spec.enabled]


# The schema of the file: section -> key -> (type(s), description). Used for validation.
_SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], str]]] = {
    "database": {"url": ((str,), "a file path or an SQLAlchemy URL")},
    "export": {"folder": ((str,), "a folder path")},
    "analytics": {
        "blend_input_weight": ((int, float), "a number"),
        "blend_output_weight": ((int, float), "a number"),
    },
    "fetch": {
        "timeout_seconds": ((int, float), "a number of seconds"),
        "attempts": ((int,), "a whole number of tries"),
        "backoff_seconds": ((int, float), "a number of seconds"),
        "max_retry_wait_seconds": ((int, float), "a number of seconds"),
    },
}
# (above, at most) for each number: nan, inf and absurd values are refused by name.
_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("analytics", "blend_input_weight"): (0, 1_000_000),
    ("analytics", "blend_output_weight"): (0, 1_000_000),
    ("fetch", "timeout_seconds"): (0, 3600),
    ("fetch", "attempts"): (0, 20),
    ("fetch", "backoff_seconds"): (0, 3600),
    ("fetch", "max_retry_wait_seconds"): (0, 86_400),
}
_SOURCE_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "enabled": ((bool,), "true or false"),
    "url": ((str,), "a URL"),
    "schedule": ((str,), "a cron string such as '17 */6 * * *'"),
    "options": ((dict,), "a table"),
}


KNOWN_SECTIONS = frozenset({"database", "export", "analytics", "fetch", "sources"})


def find_config_file(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The config file to read, by precedence; None when there is none."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
        return path
    env = os.environ.get("FRONTIER_WATCH_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found (from FRONTIER_WATCH_CONFIG)")
        return path
    for candidate in (Path.cwd() / "config.toml", user_config_file()):
        if candidate.is_file():
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def foreign_reason(raw: dict[str, Any]) -> str | None:
    """Why a config.toml found in the working directory looks like another program's, or None.

    Ours has only our sections, and its [sources] tables name sources we know; a file with
    any other section (or only unknown sources) is not read, so it can never point the
    tool at another program's database.
    """
    unknown = sorted(set(raw) - KNOWN_SECTIONS)
    if unknown:
        return f"it has sections frontier-watch does not use ({', '.join(unknown)})"
    sources = raw.get("sources")
    if isinstance(sources, dict) and sources:
        from frontier_watch.settings.catalogue import load_catalogue

        if not set(sources) & set(load_catalogue()):
            return f"its [sources] name no source frontier-watch knows ({', '.join(sorted(sources))})"
    return None


def load_settings(
    config: str | os.PathLike[str] | None = None,
    db: str | None = None,
    catalogue: dict[str, SourceSpec] | None = None,
) -> Settings:
    """Read and validate the settings; raise ConfigError with a one-line reason."""
    warnings: list[str] = []
    path = find_config_file(config)
    raw: dict[str, Any] = {}
    implicit = config is None and not os.environ.get("FRONTIER_WATCH_CONFIG")
    if path is not None and implicit and path == Path.cwd() / "config.toml":
        # A config.toml in the working directory may be another program's: read it only if
        # it is plainly ours, else say so once and go on to the user config dir.
        try:
            reason = foreign_reason(_read_toml(path))
        except ConfigError as exc:
            reason = f"it is not valid TOML ({str(exc).split(': not valid TOML: ', 1)[-1]})"
        if reason:
            warnings.append(f"{path}: ignored, {reason}; pass --config {path.name} to use it anyway")
            user_file = user_config_file()
            path = user_file if user_file.is_file() else None
    if path is not None:
        raw = _read_toml(path)
    where = str(path) if path else "defaults"
    values = _validate_sections(raw, where, warnings)

    base = path.parent if path else Path.cwd()
    database_url = db or os.environ.get("FRONTIER_WATCH_DB") or values.get("database.url") or ""
    database_is_default = not database_url
    if not database_url:
        database_url = str(default_database_path())
    elif (
        "://" not in database_url
        and database_url.strip() != ":memory:"  # refused when opened, never a file of that name
        and path is not None
        and not (db or os.environ.get("FRONTIER_WATCH_DB"))
    ):
        database_url = str(base / Path(database_url).expanduser())  # "~/fw.db" or relative to the file
    export_folder = Path(values.get("export.folder", "exports")).expanduser()
    settings = Settings(
        path=path,
        database_url=database_url,
        export_folder=export_folder,
        blend_input_weight=float(values.get("analytics.blend_input_weight", 3)),
        blend_output_weight=float(values.get("analytics.blend_output_weight", 1)),
        fetch_timeout_seconds=float(values.get("fetch.timeout_seconds", 30)),
        fetch_attempts=int(values.get("fetch.attempts", 3)),
        fetch_backoff_seconds=float(values.get("fetch.backoff_seconds", 2)),
        fetch_max_retry_wait_seconds=float(values.get("fetch.max_retry_wait_seconds", 120)),
        warnings=warnings,
        source_overrides=raw.get("sources", {}),
        catalogue=catalogue,
    )
    settings.database_is_default = database_is_default
    if settings.source_overrides:
        settings.sources  # noqa: B018 - a wrong [sources] table stops every command, as any bad key does
    return settings


def _validate_sections(raw: dict[str, Any], where: str, warnings: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for section, body in raw.items():
        if section == "sources":
            if not isinstance(body, dict):
                raise ConfigError(f"{where}: sources: expected a table of [sources.<id>] tables")
            continue
        schema = _SCHEMA.get(section)
        if schema is None:
            warnings.append(f"{where}: unknown key {section!r} (ignored)")
            continue
        if not isinstance(body, dict):
            raise ConfigError(f"{where}: {section}: expected a table, got {_type_name(body)}")
        for key, value in body.items():
            if key not in schema:
                warnings.append(f"{where}: unknown key '{section}.{key}' (ignored)")
                continue
            types, description = schema[key]
            if isinstance(value, bool) or not isinstance(value, types):
                raise ConfigError(
                    f"{where}: {section}.{key}: expected {description}, got {_type_name(value)}"
                )
            if isinstance(value, int | float):
                low, high = _RANGES[(section, key)]
                if not (math.isfinite(value) and low < value <= high):
                    raise ConfigError(
                        f"{where}: {section}.{key}: expected a number above {low:g} "
                        f"and at most {high:g}, got {value}"
                    )
            values[f"{section}.{key}"] = value
    return values


def _apply_source_overrides(
    overrides: dict[str, Any],
    catalogue: dict[str, SourceSpec],
    where: str,
    warnings: list[str],
) -> dict[str, SourceSpec]:
    from dataclasses import replace

    from frontier_watch.settings.catalogue import spec_problem

    sources = dict(catalogue)
    for source_id, body in overrides.items():
        key = f"sources.{source_id}"
        if source_id not in catalogue:
            known = ", ".join(sorted(catalogue))
            raise ConfigError(f"{where}: {key}: unknown source id {source_id!r} (known: {known})")
        if not isinstance(body, dict):
            raise ConfigError(f"{where}: {key}: expected a table, got {_type_name(body)}")
        changes: dict[str, Any] = {}
        shorthand: dict[str, Any] = {}  # kind options written beside url ("orgs = [...]")
        for name, value in body.items():
            if name not in _SOURCE_KEYS:
                if name in _kind_options(catalogue[source_id]):
                    shorthand[name] = value
                    continue
                warnings.append(f"{where}: unknown key '{key}.{name}' (ignored)")
                continue
            types, description = _SOURCE_KEYS[name]
            if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
                raise ConfigError(f"{where}: {key}.{name}: expected {description}, got {_type_name(value)}")
            if name == "url":
                assert isinstance(value, str)  # _SOURCE_KEYS admits only a string, checked above
                from frontier_watch.sources.spec import source_url_problem

                reason = source_url_problem(value)
                if reason:
                    raise ConfigError(f"{where}: {key}.url: {reason}")
            if name == "schedule":
                assert isinstance(value, str)  # as for "url"
                reason = cron_error(value)
                if reason:
                    raise ConfigError(f"{where}: {key}.schedule: bad cron string {value!r}: {reason}")
            changes[name] = value
        if "options" in changes or shorthand:
            changes["options"] = {**catalogue[source_id].options, **shorthand, **changes.get("options", {})}
        sources[source_id] = replace(catalogue[source_id], **changes)
        problem = spec_problem(sources[source_id], schedule=False)  # a schedule given is checked above
        if problem:
            raise ConfigError(f"{where}: {key}.{problem}")
    return sources


def _kind_options(spec: SourceSpec) -> frozenset[str]:
    """The options a source's kind declares, which its config table may also name directly."""
    from frontier_watch.sources import get_kind

    kind = get_kind(spec.kind)
    return frozenset(kind.all_options()) if kind else frozenset()


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
