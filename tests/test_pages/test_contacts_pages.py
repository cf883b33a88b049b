"""Contacts and tasks in the app: a contact logged from the person page lands on their
timeline; a task given on My tasks is listed by when it is due and closed in one tap, its
call logged with it; each role sees what it may."""

from __future__ import annotations

from datetime import datetime, timedelta

from streamlit.testing.v1 import AppTest

from rules.contacts import log_contact, new_task
from storage import Store
from tests.test_pages.conftest import OpenPage, button, texts

STAFF, VOLUNTEER, DIRECTOR = "staff@example.org", "volunteer@example.org", "director@example.org"
NOW = datetime.now()


def someone(store: Store) -> str:
    people = store.load(["people"]).frame("people")
    return str(people[people["deleted_at"].isna() & people["erased_at"].isna()]["id"].iloc[3])


def contacts(store: Store, person_id: str):  # noqa: ANN201 - a frame
    frame = store.load(["interactions"]).frame("interactions")
    return frame[frame["person_id"] == person_id]


def story(app: AppTest):  # noqa: ANN201 - a frame
    """The timeline table of a person page."""
    [frame] = [f.value for f in app.dataframe if "what" in f.value.columns]
    return frame


def test_staff_log_a_call_in_three_taps_and_it_heads_the_timeline(
        open_page: OpenPage, demo_store: Store) -> None:
    person = someone(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": person}, user=STAFF)
    app.text_area(key="log_contact_summary").input("Thanked him for the spring gift")
    button(app, "Save contact").click().run()
    assert not app.exception
    logged = contacts(demo_store, person)
    assert list(logged["summary"]) == ["Thanked him for the spring gift"]
    assert list(logged["kind"]) == ["call"] and list(logged["by"]) == [STAFF]
    assert "Contact logged." in texts(app, "success")
    assert story(app).iloc[0]["what"] == "Thanked him for the spring gift"
    assert app.text_area(key="log_contact_summary").value == "", "the form is empty again"


def test_a_contact_without_a_summary_says_what_to_do_and_saves_nothing(
        open_page: OpenPage, demo_store: Store) -> None:
    person = someone(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": person}, user=STAFF)
    button(app, "Save contact").click().run()
    assert "Say in a few words what was said" in texts(app, "error")
    assert contacts(demo_store, person).empty


def test_a_volunteer_logs_contacts_but_never_sees_a_confidential_one(
        open_page: OpenPage, demo_store: Store) -> None:
    person = someone(demo_store)
    demo_store.commit(log_contact(person, "meeting", "Spoke about her diagnosis", by=STAFF,
                                  now=NOW, confidential=True))
    demo_store.commit(log_contact(person, "call", "Asked about the gala", by=STAFF, now=NOW))
    app = open_page(demo_store, "pages/person.py", query={"id": person}, user=VOLUNTEER)
    assert not [box for box in app.checkbox if box.label.startswith("Confidential")]
    shown = "\n".join(frame.value.to_csv() for frame in app.dataframe)
    assert "Asked about the gala" in shown and "diagnosis" not in shown
    staff = open_page(demo_store, "pages/person.py", query={"id": person}, user=STAFF)
    assert "diagnosis" in story(staff).to_csv()


def test_my_tasks_lists_by_due_day_and_done_logs_the_call(open_page: OpenPage,
                                                         demo_store: Store) -> None:
    person = someone(demo_store)
    today = NOW.date()
    for title, due in (("Call to thank", today), ("Send the report", today - timedelta(3)),
                       ("Plan the tour", today + timedelta(3))):
        demo_store.commit(new_task(title, assignee=STAFF, due=due, by=STAFF, now=NOW,
                                   person_id=person if title.startswith("Call") else "",
                                   kind="call" if title.startswith("Call") else "to do"))
    demo_store.commit(new_task("Not mine", assignee=DIRECTOR, due=today, by=STAFF, now=NOW))
    app = open_page(demo_store, "pages/my_tasks.py", user=STAFF)
    headings = [h.value for h in app.subheader]
    assert headings[:3] == ["Overdue (1)", "Today (1)", "This week (1)"]
    assert "Not mine" not in texts(app, "markdown")
    tasks = demo_store.load(["tasks"]).frame("tasks")
    call = tasks[tasks["title"] == "Call to thank"].iloc[0]
    app.text_input(key=f"task_{call['id']}_summary").input("Left a voicemail")
    [done] = [b for b in app.button if b.label == "Done" and call["id"] in str(b.form_id)]
    done.click().run()
    assert not app.exception
    tasks = demo_store.load(["tasks"]).frame("tasks").set_index("id")
    assert (tasks.loc[call["id"], "status"], tasks.loc[call["id"], "done_by"]) == ("done", STAFF)
    logged = contacts(demo_store, person)
    assert list(logged["summary"]) == ["Left a voicemail"]
    assert list(logged["task_id"]) == [call["id"]]


def test_staff_give_a_task_to_a_colleague_and_directors_see_everyones(
        open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, "pages/my_tasks.py", user=STAFF)
    app.text_input(key="new_task_title").input("Ring the printer")
    app.selectbox(key="new_task_assignee").set_value(DIRECTOR)
    button(app, "Add task").click().run()
    tasks = demo_store.load(["tasks"]).frame("tasks")
    assert list(zip(tasks["title"], tasks["assignee"], strict=True)) == [
        ("Ring the printer", DIRECTOR)]
    director = open_page(demo_store, "pages/my_tasks.py", user=DIRECTOR)
    assert "Ring the printer" in texts(director, "markdown")
    assert not [b for b in director.button if b.label == "Add task"]
    volunteer = open_page(demo_store, "pages/my_tasks.py", user=VOLUNTEER)
    assert "Nothing to do" in texts(volunteer, "success") and not volunteer.dataframe


def test_the_top_of_a_person_page_tells_their_story_at_a_glance(
        open_page: OpenPage, demo_store: Store) -> None:
    gifts = demo_store.load(["donations"]).frame("donations")
    donor = str(gifts[gifts["status"] == "completed"]["person_id"].iloc[0])
    demo_store.commit(log_contact(donor, "visit", "Tea at home", by=STAFF, now=NOW,
                                  next_step="Send photos"))
    staff = open_page(demo_store, "pages/person.py", query={"id": donor}, user=STAFF)
    line = texts(staff, "markdown")
    assert "Given" in line and "Last gift" in line
    assert "**Last contact** visit today · next: Send photos" in line
    volunteer = open_page(demo_store, "pages/person.py", query={"id": donor}, user=VOLUNTEER)
    assert "Given" not in texts(volunteer, "markdown")
    assert "**Last contact** visit today" in texts(volunteer, "markdown")
