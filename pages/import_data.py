"""Import: people, gifts, membership terms or volunteer hours from a CSV or xlsx file, with
the columns mapped, every row previewed with its problems, and an undo for the whole batch."""

from __future__ import annotations

import hashlib
from datetime import datetime

import streamlit as st

from importing.files import DELIMITERS, ENCODINGS, ImportFileError, read_source
from importing.mapping import IMPORT_KINDS, suggest_mapping
from importing.plan import (
    MATCH_RULES,
    OUTCOMES,
    ImportOptions,
    ImportPlan,
    mapping_problems,
    plan_import,
)
from importing.undo import UndoRefused, undo_import
from pages.common import columns, data, downloads, session
from pages.common.safe import plain
from reports.export import to_safe_csv
from sheets_schema.cells import Locale

_PLAN = "import_plan"
PREVIEW_ROWS = 2_000

st.title("Import")
session.require("import_data", "import data")
user = session.user()
data.done()
book = data.workbook()

kind_name = st.selectbox("What the file holds", list(IMPORT_KINDS),
                         format_func=lambda k: IMPORT_KINDS[k].label.capitalize(),
                         key="import_kind")
kind = IMPORT_KINDS[kind_name]
upload = st.file_uploader(
    "CSV or Excel file", type=["csv", "tsv", "txt", "xlsx"],
    # A new key once an import lands, so the same file cannot be imported twice by a click.
    key=f"import_file_{len(book.frame('imports'))}",
    help="Exports of Mailchimp audiences, PayPal or Stripe payments and ordinary "
         "spreadsheets map themselves; UTF-8, Korean (CP949/EUC-KR) and Western Windows "
         "files, separated by commas, semicolons or tabs.")


def _history() -> None:
    """Past imports, and undoing one while its rows are untouched."""
    imports = book.frame("imports").sort_values("imported_at", ascending=False)
    if imports.empty:
        return
    st.subheader("Imports so far")
    columns.table(imports[["id", "kind", "file_name", "rows", "people_added", "imported_at",
                           "imported_by", "status"]])
    open_ = imports[imports["status"] == "imported"]
    if open_.empty or not user.can("import_data"):
        return
    names = dict(zip(open_["id"].astype(str), open_["file_name"].astype(str), strict=True))
    chosen = st.selectbox("Undo an import", list(names), key="import_undo_choice",
                          format_func=lambda i: f"{i}: {names[i]}")
    if st.button("Undo this import", key="import_undo"):
        try:
            changes = undo_import(book, str(chosen), now=datetime.now(), user=user.email)
        except UndoRefused as refused:
            st.error(plain(refused))
            return
        data.commit_form(changes, f"Import {chosen} was undone: {changes.audit_summary}.")


if upload is None:
    st.caption("Pick the kind of record, then upload the file. Nothing is written until you "
               "press Import, and an import can be undone while its rows are untouched.")
    _history()
    st.stop()

raw = upload.getvalue()
digest = hashlib.sha256(raw).hexdigest()[:16]
with st.expander("How the file is read", expanded=False):
    encoding = st.selectbox("Encoding", ["", *ENCODINGS], key=f"import_enc_{digest}",
                            format_func=lambda e: ENCODINGS.get(e, "Guess from the file"))
    delimiter = st.selectbox("Columns separated by", ["", *DELIMITERS], key=f"import_sep_{digest}",
                             format_func=lambda d: DELIMITERS.get(d, "Guess from the file"))
    day_first = st.checkbox("Dates are day first (31/12/2024)", key=f"import_dmy_{digest}",
                            value=data.backend().locale.day_first)
    decimal_comma = st.checkbox("Amounts use a decimal comma (1.234,50)",
                                key=f"import_comma_{digest}")
try:
    source = read_source(raw, upload.name, encoding=encoding or None,
                         delimiter=delimiter or None)
except ImportFileError as error:
    st.error(plain(error))
    st.stop()
how = ", ".join(filter(None, [
    f"sheet {source.sheet!r}" if source.sheet else "",
    ENCODINGS.get(source.encoding, source.encoding).split(" (")[0] if source.encoding else "",
    f"{DELIMITERS[source.delimiter]}-separated" if source.delimiter else "",
]))
st.caption(plain(f"{upload.name}: {len(source):,} rows and {len(source.headers)} columns, "
                 f"read as {how}. {' '.join(source.notes)}"))

st.subheader("Columns")
st.caption("Each column of the file and the field it fills; leave a column out with "
           "\"(leave out)\". Suggestions come from the column names.")
suggested = suggest_mapping(kind, source.headers)
choices = ["", *(t.name for t in kind.targets)]
labels = {t.name: t.label for t in kind.targets} | {"": "(leave out)"}
mapping: dict[str, str] = {}
grid = st.columns(3)
for index, header in enumerate(source.headers):
    sample = next((row[index] for row in source.rows if row[index]), "")
    with grid[index % 3]:
        mapping[header] = st.selectbox(  # the file's text, shown as text, never as Markdown
            plain(header), choices, index=choices.index(suggested.get(header, "")),
            format_func=lambda name: labels[name], key=f"import_map_{digest}_{kind_name}_{index}",
            help=plain(f"For example: {sample[:60]}") if sample else "Blank in every row",
        )
problems = mapping_problems(kind, mapping)
for problem in problems:
    st.warning(problem)

st.subheader("Matching people")
match_by = st.radio("A row is someone already in Steward when they have", list(MATCH_RULES),
                    format_func=lambda m: MATCH_RULES[m], horizontal=True,
                    key="import_match")
add_people = True
if kind.about_someone:
    add_people = st.checkbox("Add people who are not found", value=True,
                             key="import_add_people")
if problems:
    _history()
    st.stop()

options = ImportOptions(match_by=str(match_by), add_people=add_people,
                        locale=Locale(day_first=day_first, decimal_comma=decimal_comma),
                        default_region=book.settings.phone_region_or_default(),
                        currency=book.settings.currency)
signature = (digest, kind_name, tuple(sorted(mapping.items())), options, book.read_at,
             source.encoding, source.delimiter)
held = st.session_state.get(_PLAN)
if not (isinstance(held, tuple) and held[0] == signature):
    bar = st.progress(0.0, text="Checking every row…")

    def checked(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"Checked {done:,} of {total:,} rows")

    plan = plan_import(source, kind, mapping, book, options, now=datetime.now(),
                       progress=checked)
    bar.empty()
    st.session_state[_PLAN] = (signature, plan)
else:
    plan = held[1]
assert isinstance(plan, ImportPlan)

st.subheader("Preview")
counts = plan.counts()
cells = st.columns(4)
for cell, outcome in zip(cells, OUTCOMES, strict=True):
    cell.metric(OUTCOMES[outcome].split(":")[0].capitalize(), f"{counts.get(outcome, 0):,}")
if plan.people_added:
    st.caption(f"Adding these rows also adds {plan.people_added:,} people not found in "
               f"Steward.")
if plan.warned:
    st.warning(f"{len(plan.warned):,} rows have something to check (see their warnings): "
               f"they are imported as typed. A phone without +country is read as "
               f"{options.default_region} (the phone_region setting).")
table = plan.table(source)
shown = st.segmented_control("Show", ["all", *OUTCOMES], default="all",
                             format_func=lambda o: "all rows" if o == "all" else
                             OUTCOMES[o].split(":")[0], key="import_show") or "all"
if shown != "all":
    table = table[[row.outcome == shown for row in plan.rows]]
st.dataframe(table.head(PREVIEW_ROWS), hide_index=True, width="stretch")
if len(table) > PREVIEW_ROWS:
    st.caption(f"The first {PREVIEW_ROWS:,} of {len(table):,} rows.")
rejected = plan.rejected(source)
if not rejected.empty:
    downloads.button(f"Download the {len(rejected):,} rows not imported (CSV)",
                     lambda: to_safe_csv(rejected), file_name=f"not-imported-{upload.name}.csv",
                     mime="text/csv", key="import_rejected")

adding = len(plan.to_add)
if st.button(f"Import {adding:,} {kind.label}", type="primary", disabled=not adding,
             key="import_commit"):
    if (book.frame("imports")["id"] == plan.import_id).any():
        st.info("This file was imported already.")
    else:
        with st.spinner(f"Writing {adding:,} rows in one batch…"):
            changes = plan.changes(datetime.now(), user.email)
            data.commit_form(changes, f"{changes.audit_summary}. It can be undone below while "
                                      f"its rows are untouched.", clear=(_PLAN,))
_history()
