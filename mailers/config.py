"""How the app sends mail: the `[email]` section of secrets.toml (or STEWARD_SMTP_* in the
environment for cron).

    [email]
    host = "smtp.gmail.com"          # any SMTP server
    port = 587
    security = "starttls"            # "starttls" (587), "ssl" (465), or "none" (a relay on
                                     # this machine only)
    user = "appeals@your-org.org"    # the account to log in as (blank: no login)
    password = "app password"        # Gmail: an app password (2-Step Verification on)
    # oauth2_file = "gmail-oauth2.json"  # instead of a password: Gmail OAuth2 (ssl, 465)
    sender = "appeals@your-org.org"  # the From address
    sender_name = "Riverside Community Association"
    unsubscribe_url = "https://steward.your-org.org/unsubscribe"
    unsubscribe_secret = "a long random string"
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["LOOPBACK_HOSTS", "MailConfig", "MailConfigError"]

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class MailConfigError(ValueError):
    """Mail settings that cannot work, with what to change in secrets.toml."""


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int
    security: str = "starttls"
    user: str = ""
    password: str = ""
    sender: str = ""
    sender_name: str = ""
    unsubscribe_url: str = ""
    unsubscribe_secret: str = ""
    #: Gmail's OAuth2 instead of a password: the JSON file yagmail reads (google_client_id,
    #: google_client_secret, google_refresh_token); it works over SSL on port 465 only.
    oauth2_file: str = ""

    @classmethod
    def from_sources(cls, secrets: Mapping[str, Any] | None = None,
                     environ: Mapping[str, str] | None = None) -> MailConfig:
        section = dict((secrets or {}).get("email", {}) or {})
        env = os.environ if environ is None else environ

        def value(key: str, default: str = "") -> str:
            return str(section.get(key) or env.get(f"STEWARD_SMTP_{key.upper()}", default))

        security = value("security", "starttls").lower()
        config = cls(
            host=value("host"),
            port=int(value("port", {"ssl": "465", "none": "25"}.get(security, "587"))),
            security=security,
            user=value("user"),
            password=value("password"),
            sender=value("sender") or value("user"),
            sender_name=value("sender_name"),
            unsubscribe_url=value("unsubscribe_url"),
            unsubscribe_secret=value("unsubscribe_secret"),
            oauth2_file=value("oauth2_file"),
        )
        config.check()
        return config

    def check(self) -> None:
        """Refuse settings that would fail or be unsafe, before any message is queued."""
        if not self.host:
            raise MailConfigError("No mail server is configured. Add an [email] section to "
                                  ".streamlit/secrets.toml (see the README's Email section).")
        if self.security not in {"starttls", "ssl", "none"}:
            raise MailConfigError(f"[email] security = {self.security!r}: use \"starttls\" "
                                  f"(port 587), \"ssl\" (port 465) or \"none\".")
        if self.security == "none" and self.host not in LOOPBACK_HOSTS:
            raise MailConfigError(
                f"[email] security = \"none\" would send passwords and addresses in clear to "
                f"{self.host}; it is only allowed for a relay on this machine. Use starttls.")
        if self.oauth2_file and (self.security, self.port) != ("ssl", 465):
            raise MailConfigError("Gmail's OAuth2 works over SSL only: set security = \"ssl\" "
                                  "and port = 465 in [email].")
        if not self.sender:
            raise MailConfigError("[email] sender is missing: the address appeals come from.")
        if not self.unsubscribe_url.startswith(("https://", "http://127.0.0.1",
                                                "http://localhost")):
            raise MailConfigError("[email] unsubscribe_url must be the https address of the "
                                  "app's unsubscribe page (mail providers require https).")
        if len(self.unsubscribe_secret) < 16:
            raise MailConfigError("[email] unsubscribe_secret must be a random string of at "
                                  "least 16 characters (it signs unsubscribe links).")

    @property
    def domain(self) -> str:
        return self.sender.rpartition("@")[2] or "localhost"
