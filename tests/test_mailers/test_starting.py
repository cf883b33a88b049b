"""Starting an appeal: a segment left empty never reaches everyone by accident, and an
appeal that cannot be sent is refused before anything is queued."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from mailers.segments import Definition
from mailers.starting import (
    CannotStart,
    check_audience,
    check_can_send,
    confirmation,
    mail_problem,
)
from tests.smtp_server import Inbox, free_port

ADDRESS = "12 River Road, Springfield"
NO_ENV: dict[str, str] = {}


def email(port: int) -> dict[str, Any]:
    return {"email": {"host": "127.0.0.1", "port": port, "security": "none",
                      "sender": "appeals@riverside.example.org",
                      "unsubscribe_url": "http://localhost:8501/unsubscribe",
                      "unsubscribe_secret": "a-test-secret-of-some-length"}}


def test_a_segment_without_criteria_is_refused_saying_it_would_reach_everyone() -> None:
    with pytest.raises(CannotStart, match=r"no criteria, so it would go to everyone who may "
                                          r"be mailed \(1,233 people\).*Everyone who may be"):
        check_audience(Definition(), 1233, None)
    with pytest.raises(CannotStart, match="no criteria"):
        check_audience(Definition(match="any", volunteer_availability=""), 1233, 1233)


@pytest.mark.parametrize("definition", [Definition(tags=("board",)), Definition(lybunt=True),
                                        Definition(gave_at_least=Decimal(0)),
                                        Definition(due_within_days=0)])
def test_any_criterion_makes_a_segment(definition: Definition) -> None:
    assert definition.has_criteria
    check_audience(definition, 12, None)


def test_everyone_starts_only_once_its_number_is_confirmed() -> None:
    everyone = Definition(everyone=True)
    with pytest.raises(CannotStart, match="needs confirming: tick “Yes, send this appeal "
                                          "to all 1,233 people who may be mailed”"):
        check_audience(everyone, 1233, None)
    with pytest.raises(CannotStart, match="needs confirming"):
        check_audience(everyone, 1240, 1233)  # people were added since it was confirmed
    check_audience(everyone, 1233, 1233)
    assert confirmation(1233) == "Yes, send this appeal to all 1,233 people who may be mailed"


def test_everyone_and_criteria_at_once_is_refused() -> None:
    with pytest.raises(CannotStart, match="either “Everyone who may be mailed” or a set"):
        check_audience(Definition(everyone=True, tags=("board",)), 5, 5)


def test_a_fixed_list_such_as_a_roster_has_no_segment_to_check() -> None:
    check_audience(None, 4, None)


def test_everyone_is_kept_in_a_saved_segment() -> None:
    saved = Definition(everyone=True).to_json()
    assert json.loads(saved)["everyone"] is True
    assert Definition.from_json(saved).everyone
    assert not Definition.from_json("{}").everyone


def test_what_mail_still_needs_is_said_before_anyone_writes_an_appeal() -> None:
    assert "No mail server is configured" in mail_problem({}, ADDRESS, NO_ENV)
    assert "postal address is not set" in mail_problem(email(25), "  ", NO_ENV)
    assert mail_problem(email(25), ADDRESS, NO_ENV) == ""


def test_sending_can_start_when_the_server_takes_a_login(inbox: Inbox) -> None:
    config = check_can_send(email(inbox.port), ADDRESS, environ=NO_ENV)  # type: ignore[attr-defined]
    assert config.port == inbox.port  # type: ignore[attr-defined]
    assert inbox.messages == []


def test_a_server_that_does_not_answer_is_refused_before_anything_is_queued() -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(CannotStart, match=f"The mail server 127.0.0.1:{port} did not accept "
                                          f"a connection and login"):
        check_can_send(email(port), ADDRESS, environ=NO_ENV)
    with pytest.raises(CannotStart, match="Appeals cannot be sent yet: No mail server"):
        check_can_send({}, ADDRESS, environ=NO_ENV)


def test_a_criterion_of_zero_survives_saving_and_is_not_everyone() -> None:
    definition = Definition(gave_at_least=Decimal("0.0"), due_within_days=0)
    again = Definition.from_json(definition.to_json())
    assert again == definition and again.has_criteria
