"""The shipped model crosswalk (data/model_crosswalk.csv) read into an identity resolver."""

from __future__ import annotations

from pathlib import Path

from frontier_watch.domain.identity import Identity, identity_from_rows, read_crosswalk_rows


def load_identity(folder: Path | None = None) -> Identity:
    """The resolver over the shipped crosswalk (data/model_crosswalk.csv), or rules only."""
    from frontier_watch.settings.paths import data_dir

    path = (folder or data_dir()) / "model_crosswalk.csv"
    if not path.is_file():
        return Identity({}, {})
    return identity_from_rows(read_crosswalk_rows(path))
