"""Users (admins): who may sign in, and as what."""

from __future__ import annotations

import streamlit as st

from pages.common import data, session
from pages.common.safe import plain
from rules.roles import Role, matrix_markdown
from rules.users import UserError, new_user, user_changes

session.require("manage_users", "manage users")
st.title("Users")
st.text("People sign in with their organisation account; the address must be listed here "
        "and active. Matching ignores upper and lower case.")
users = data.workbook().frame("users")
table = users[["email", "name", "role", "active"]].reset_index(drop=True)
key = f"users_editor_{st.session_state.setdefault('users_generation', 0)}"
st.data_editor(table, key=key, hide_index=True, disabled=["email"], width="stretch",
               column_config={"role": st.column_config.SelectboxColumn(
                   options=[r.value for r in Role], required=True)})
edited = st.session_state.get(key, {}).get("edited_rows", {})
if st.button("Save changes", disabled=not edited, type="primary"):
    try:
        edits = user_changes(users, table, edited, session.user().email)
    except UserError as error:
        st.error(plain(error))
    else:
        if data.save(lambda: data.store().update_many("users", edits), "Users saved.").ok:
            st.session_state["users_generation"] += 1
            st.rerun()

with st.form("add_user", clear_on_submit=True):
    st.subheader("Add a user")
    email = st.text_input("Email")
    name = st.text_input("Name")
    role = st.selectbox("Role", [r.value for r in Role])
    if st.form_submit_button("Add user"):
        try:
            record = new_user(users, email, name, role)
        except UserError as error:
            st.error(plain(error))
        else:
            data.save(lambda: data.store().append("users", [record]), "User added.")

with st.expander("What each role may do"):
    st.markdown(matrix_markdown())
