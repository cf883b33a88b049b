"""What a save came to reaches the page as one value (`data.Saved`): it landed, it met a
conflict (nothing written, both values for the page to show), or another store error, already
shown as its sentence. Nothing is left in the session for some later page to find, except the
conflict a page hands to its own next run (`rerun_after`), which is shown there once."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def saving_page() -> None:
    import streamlit as st

    from pages.common import data
    from storage import Conflict, StoreError

    def clash() -> None:
        raise Conflict("people", "P1", [])

    def down() -> None:
        raise StoreError("Google Sheets did not answer; nothing was saved. Try again.")

    for name, action in (("landed", lambda: None), ("clash", clash), ("down", down)):
        saved = data.save(action, f"{name} saved.")
        st.text(f"{name}: ok={saved.ok} conflict={saved.conflict is not None} "
                f"error={saved.error is not None}")


def test_each_save_returns_its_outcome_and_leaves_nothing_in_the_session() -> None:
    app = AppTest.from_function(saving_page).run()
    assert [t.value for t in app.text] == [
        "landed: ok=True conflict=False error=False",
        "clash: ok=False conflict=True error=False",
        "down: ok=False conflict=False error=True",
    ]
    assert len(app.error) == 1 and "Google Sheets did not answer" in app.error[0].value
    assert list(app.session_state.keys()) == []


def rerunning_page() -> None:
    import streamlit as st

    from pages.common import data
    from storage import Conflict

    def clash() -> None:
        raise Conflict("campaigns", "C1", [])

    carried = data.carried_conflict("campaigns")
    if carried is not None:
        st.warning(str(carried))
    if st.button("Save"):
        data.rerun_after(data.save(clash, "Saved."))


def test_a_conflict_carried_to_the_next_run_is_shown_there_once() -> None:
    app = AppTest.from_function(rerunning_page).run()
    assert not app.warning
    app.button[0].click().run()
    assert [w.value for w in app.warning] == [str(_conflict())]
    app.run()
    assert not app.warning


def _conflict() -> Exception:
    from storage import Conflict

    return Conflict("campaigns", "C1", [])
