"""Bringing other tools' files in: reading a file (`files`), mapping its columns to fields
(`mapping`), and planning and undoing an import as one batch (`plan`). Pure: no I/O beyond
the bytes it is handed, no Streamlit."""
