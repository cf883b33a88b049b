"""Bringing other tools' files in: reading a file (`files`), mapping its columns to fields
(`mapping`), planning an import as one batch (`plan`) and undoing it (`undo`). Pure: no I/O
beyond the bytes it is handed, no Streamlit."""
