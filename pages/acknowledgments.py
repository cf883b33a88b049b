"""Thank-yous and statements: the gifts still awaiting a thank-you (staff mark them sent in
one go), and each donor's year-end giving statement as a printable page to download."""

from __future__ import annotations

import streamlit as st

from pages.common import data, downloads, gift_ui, people_ui, session
from pages.common.safe import plain
from reports import statements as rs
from reports.gift_lists import thank_you_list
from rules.gifts import awaiting_thanks, mark_sent

session.require("read_giving", "see thank-yous and statements")
st.title("Thank-yous and statements")
book = data.workbook()
gifts, people, campaigns = (book.frame(n) for n in ("donations", "people", "campaigns"))
can_edit = session.user().can("edit_giving")
thanks, statements = st.tabs(["Thank-yous to send", "Year-end statements"])

with thanks:
    gift_ui.conflict_notice("donations")
    waiting = awaiting_thanks(gifts)
    listing = thank_you_list(waiting, people, campaigns)
    st.text(f"{len(listing):,} completed gifts await a thank-you.")
    if listing.empty:
        st.success("Every gift has been thanked.")
    elif not can_edit:
        gift_ui.table(listing, "thanks_table")
    else:
        version = st.session_state.setdefault("thanks_version", 0)
        shown, config = gift_ui.screen(listing)
        grid = st.data_editor(
            shown.assign(sent=False), key=f"thanks_editor_{version}", hide_index=True,
            width="stretch", disabled=list(shown.columns), column_config={
                **config, "sent": st.column_config.CheckboxColumn("Mark sent")})
        ticked = set(grid.loc[grid["sent"], "id"])
        every = st.checkbox(f"All {len(listing):,} listed", key="thanks_all")
        chosen = waiting if every else waiting[waiting["id"].isin(ticked)]
        if st.button(f"Mark {len(chosen):,} as sent", type="primary", disabled=chosen.empty,
                     key="thanks_mark"):
            rows = chosen.to_dict("records")
            saved = data.save(lambda: data.store().commit(mark_sent(rows, data.today())),
                              f"{len(rows):,} thank-yous marked sent.")
            if saved.ok or saved.conflict is not None:
                st.session_state["thanks_version"] = version + 1
                data.rerun_after(saved)
    gift_ui.downloads(listing, "thank-yous-to-send", "thanks")

with statements:
    years = gift_ui.statement_years()
    if not years:
        st.info("There are no completed gifts yet.")
        st.stop()
    today = data.today()
    season = today.year - 1 if today.month <= 6 else today.year  # January: last year's
    default = season if season in years else years[0]
    year = st.selectbox("Year", years, index=years.index(default), key="statement_year")
    donors = gift_ui.statement_donors(year)
    st.text(f"{len(donors):,} donors gave in {year}.")
    person_id = people_ui.person_picker("statement_person", people[people["id"].isin(donors)],
                                      "Donor")
    settings = book.settings
    if person_id:
        statement = rs.year_end_statement(gifts, people, campaigns, person_id, year, settings,
                                          today)
        st.subheader(plain(f"{statement.name}: {gift_ui.money(statement.total)} in {year}"))
        gift_ui.table(statement.table(), "statement_gifts")
        downloads.button("Download statement (HTML)", lambda: rs.statement_html(statement),
                         f"statement-{year}-{person_id}.html", "text/html",
                         key="statement_one", on_click="ignore")

    def all_statements() -> str:
        pages = rs.year_end_statements(gifts, people, campaigns, year, settings, today)
        return rs.statements_html(pages, f"{settings.org_name}: giving statements {year}")

    if donors:
        downloads.button(f"Download all {len(donors):,} statements (one printable HTML)",
                         all_statements, f"statements-{year}.html", "text/html",
                         key="statement_all", on_click="ignore")
    st.caption("Open the file in a browser and print it: each statement prints on its own "
               "page. A single gift of $250 or more is marked: the IRS requires this written "
               "acknowledgment before the donor can deduct it.")
