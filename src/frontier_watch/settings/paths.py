"""Where things live: the shipped catalogue and data, and the user's own files."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # settings/paths.py -> frontier_watch/
_CHECKOUT = _PACKAGE.parent.parent  # src/frontier_watch -> repository top


def _shipped(installed_name: str, checkout_name: str) -> Path:
    # An installed wheel carries the folder inside the package; a checkout (or an
    # editable install) has it at the top of the repository.
    installed = _PACKAGE / installed_name
    return installed if installed.is_dir() else _CHECKOUT / checkout_name


def data_dir() -> Path:
    """The curated data that ships with the tool."""
    return _shipped("_data", "data")


def fetchers_dir() -> Path:
    """The catalogue of source specs that ships with the tool."""
    return _shipped("_fetchers", "fetchers")


def _user_dir(kind: str) -> Path:
    home = os.environ.get("FRONTIER_WATCH_HOME")
    if home:
        return Path(home)
    import platformdirs

    if kind == "config":
        return Path(platformdirs.user_config_dir("frontier-watch", appauthor=False))
    return Path(platformdirs.user_data_dir("frontier-watch", appauthor=False))


def user_config_file() -> Path:
    return _user_dir("config") / "config.toml"


def user_fetchers_dir() -> Path:
    """The user's own source specs, added to the shipped catalogue."""
    return _user_dir("config") / "fetchers"


def default_database_path() -> Path:
    return _user_dir("data") / "frontier-watch.db"
