"""Where the data lives: the Store contract and its backends.

>>> from storage import open_store
>>> store = open_store()            # the SQLite file, or the Google Sheet in the config
>>> tabs = store.load(["people", "donations"])
>>> tabs["people"].frame, tabs["people"].problems
"""

from .base import AuditHook, ChangeSet, RowEdit, SchemaReport, Store
from .config import StoreConfig, open_store
from .errors import (
    CellConflict,
    Conflict,
    NotAllowed,
    NotFound,
    QuotaExceeded,
    SchemaMismatch,
    StoreError,
    Unavailable,
)

__all__ = [
    "AuditHook",
    "CellConflict",
    "ChangeSet",
    "Conflict",
    "NotAllowed",
    "NotFound",
    "QuotaExceeded",
    "RowEdit",
    "SchemaMismatch",
    "SchemaReport",
    "Store",
    "StoreConfig",
    "StoreError",
    "Unavailable",
    "open_store",
]
