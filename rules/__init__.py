"""What the organisation's data must obey: gifts, membership terms, people, volunteering,
privacy, roles and users, merging and finding duplicates, data health and the audit trail.
Pure functions over the data `sheets_schema` defines (today is always an argument); no I/O,
no Streamlit, so a page, a report and a notebook apply the same rule."""
