"""Where the data lives: the Store contract and its backends.

>>> from storage import open_store
>>> store = open_store()  # the PostgreSQL database or Google Sheet configured, else SQLite
>>> tabs = store.load(["people", "donations"])
>>> tabs["people"].frame, tabs["people"].problems
"""

from .base import AuditHook, ChangeSet, KeyFill, RowEdit, SchemaReport, Store
from .config import StoreConfig, open_store
from .errors import (
    CellConflict,
    Conflict,
    KeyInUse,
    NotAllowed,
    NotFound,
    QuotaExceeded,
    SchemaMismatch,
    StoreError,
    Unavailable,
    Uncertain,
)

__all__ = [
    "AuditHook",
    "CellConflict",
    "ChangeSet",
    "Conflict",
    "KeyFill",
    "KeyInUse",
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
    "Uncertain",
    "open_store",
]
