"""Volunteers: every profile with its status, skills, availability and whether the
background check is due; staff edit a profile or add one for a person."""

from __future__ import annotations

import streamlit as st

from pages.common import columns, data, people_ui, session, volunteer_ui
from rules.volunteering import (
    PROFILE_STATUSES,
    check_is_due,
    profile_changes,
    skill_choices,
)

session.require("read_volunteering", "see volunteer profiles")
st.title("Volunteers")
data.done()
book = data.workbook()
people = volunteer_ui.names(book)
profiles = book.frame("volunteers")
months = book.settings.background_check_months
today = data.today()
statuses = st.multiselect("Status", PROFILE_STATUSES, key="vol_statuses",
                          placeholder="Every status")
shown = profiles[profiles["status"].isin(statuses)] if statuses else profiles
shown = shown.assign(name=[people.get(p, p) for p in shown["id"]],
                     check_due=[check_is_due(volunteer_ui.day(d), today, months)
                                for d in shown["background_check_date"]])
st.text(f"{len(shown):,} volunteers; {int(shown['check_due'].sum()):,} need a background check "
        f"(none, or older than {months} months)")
columns.table(shown[["id", "name", "status", "skills", "availability", "background_check_date",
                     "check_due", "emergency_contact", "notes"]], "volunteers_table", person="id")
volunteer_ui.downloads(shown, "volunteers")

if not session.user().can("edit_volunteering"):
    st.stop()

st.header("Edit or add a profile")
who = people_ui.choose_person("Person", people, "vol_person")
if who is None:
    st.stop()
found = profiles[profiles["id"] == who]
seen = found.iloc[0].to_dict() if not found.empty else None
if seen is None:
    st.info("This person has no volunteer profile yet; saving adds one.")
elif check_is_due(volunteer_ui.day(seen["background_check_date"]), today, months):
    st.warning(f"The background check is missing or older than {months} months.")
current = seen or {}
known = skill_choices(profiles)
with st.form(f"profile_{who}"):
    status = st.selectbox("Status", PROFILE_STATUSES, index=PROFILE_STATUSES.index(
        current.get("status") or "prospect"), key="vol_status")
    skills = st.multiselect("Skills", known, default=[s for s in current.get("skills") or ()
                                                      if s in known], key="vol_skills")
    extra = st.text_input("Other skills (comma-separated)", key="vol_extra")
    availability = st.text_input("Availability", value=current.get("availability") or "",
                                 key="vol_availability")
    checked = st.date_input("Background check date", value=volunteer_ui.day(
        current.get("background_check_date")), key="vol_checked")
    contact = st.text_input("Emergency contact", value=current.get("emergency_contact") or "",
                            key="vol_contact")
    notes = st.text_area("Notes", value=current.get("notes") or "", key="vol_notes")
    if st.form_submit_button("Save profile", type="primary"):
        tags = tuple(dict.fromkeys([*skills, *(s.strip() for s in extra.split(",")
                                               if s.strip())]))
        values = {"status": status, "skills": tags, "availability": availability,
                  "background_check_date": checked, "emergency_contact": contact,
                  "notes": notes}
        volunteer_ui.save(lambda: profile_changes(who, values, seen), "Profile saved.",
                          ("vol_extra",))
