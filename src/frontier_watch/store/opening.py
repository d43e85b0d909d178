"""Opening a database to read: straight on a ready file, as it is when it cannot be written,
or after migrating and seeding it (the first launch, a new version)."""

from __future__ import annotations

from frontier_watch.store.reading import Reader, read_only_reader, reader_for, ready_reader
from frontier_watch.store.sqlite import missing_folder_error, sqlite_file, writable


def open_reader(location: str, *, create_folder: bool = True) -> Reader:
    """A reader on the database at ``location``, migrating and seeding it first if it needs that.

    A file that cannot be written is read as it is. With ``create_folder`` False a path under
    a missing folder is a DatabaseError (no read creates folders); a new file in an existing
    folder is made and seeded, as on the first launch.
    """
    reader = ready_reader(location)
    if reader is not None:
        return reader
    path = sqlite_file(location)
    if path is not None and path.is_file() and not writable(path):
        return read_only_reader(path)
    if not create_folder and (error := missing_folder_error(location)):
        raise error
    # Imported here: seeding needs SQLAlchemy, which a read of a ready file never loads.
    from frontier_watch.store.seed import open_seeded_database

    return reader_for(open_seeded_database(location, create_folder=create_folder))
