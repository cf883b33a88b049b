"""Whether an appeal may start, decided before anything is saved or queued.

Two traps are closed here rather than in the page's widgets (a browser can send any widget
value): a segment left empty would reach everyone who may be mailed, so that happens only
when the definition says `everyone` and the person confirmed the very number it reaches;
and an appeal started without working mail settings would sit in the outbox, stuck, so it
is refused with what to fix until the settings are complete and the server takes a login.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Mapping
from typing import Any

from .config import MailConfig, MailConfigError
from .segments import Definition
from .sender import SmtpSender

__all__ = ["CannotStart", "EVERYONE", "check_audience", "check_can_send", "confirmation",
           "mail_problem"]

#: How the page and this module name the deliberate choice of everyone.
EVERYONE = "Everyone who may be mailed"


class CannotStart(ValueError):
    """An appeal that must not start as asked, with what to do (the caller has queued
    nothing yet)."""


def confirmation(reach: int) -> str:
    """The words a person ticks to send to everyone who may be mailed."""
    return f"Yes, send this appeal to all {reach:,} people who may be mailed"


def check_audience(definition: Definition | None, reach: int,
                   confirmed: int | None) -> None:
    """Refuse a segment that would reach everyone by accident. `reach` is how many people
    the appeal would go to now; `confirmed` is the number the person confirmed sending to
    everyone (None when they did not). A definition of None is a fixed list (a shift's
    roster), not a segment: nothing to check."""
    if definition is None:
        return
    if definition.everyone and definition.has_criteria:
        raise CannotStart(f"A segment is either “{EVERYONE}” or a set of criteria, not "
                          f"both: choose one.")
    if not definition.everyone and not definition.has_criteria:
        raise CannotStart(f"The segment has no criteria, so it would go to everyone who may "
                          f"be mailed ({reach:,} people). Pick at least one criterion, or "
                          f"choose “{EVERYONE}” and confirm.")
    if definition.everyone and confirmed != reach:
        raise CannotStart(f"Sending to everyone who may be mailed needs confirming: tick "
                          f"“{confirmation(reach)}”.")


def mail_problem(secrets: Mapping[str, Any], org_address: str,
                 environ: Mapping[str, str] | None = None) -> str:
    """Why no appeal can be sent with these settings, or "" when they are complete (no
    connection is tried: the page asks this on every run)."""
    try:
        MailConfig.from_sources(secrets, environ)
    except MailConfigError as error:
        return str(error)
    if not org_address.strip():
        return ("The organisation's postal address is not set (settings: org_address, on "
                "the Settings page); every appeal must carry it.")
    return ""


def _login(config: MailConfig) -> None:
    with SmtpSender(config):
        pass


def check_can_send(secrets: Mapping[str, Any], org_address: str, *,
                   environ: Mapping[str, str] | None = None,
                   login: Callable[[MailConfig], None] = _login) -> MailConfig:
    """The mail settings, once they are complete and the server accepted a connection and
    login; otherwise CannotStart with what to fix, before anything is queued."""
    problem = mail_problem(secrets, org_address, environ)
    if problem:
        raise CannotStart(f"Appeals cannot be sent yet: {problem}")
    config = MailConfig.from_sources(secrets, environ)
    try:
        login(config)
    except (smtplib.SMTPException, OSError) as error:
        raise CannotStart(f"The mail server {config.host}:{config.port} did not accept a "
                          f"connection and login ({error}). Check [email] in "
                          f".streamlit/secrets.toml.") from None
    return config
