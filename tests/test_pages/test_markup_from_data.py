"""Data is shown as text: markup planted in every text field of two people (a likely
duplicate pair), a campaign and an appeal is never rendered as Markdown, on any page, for
any role. A bold name or a link is a nuisance; a remote image is a tracking beacon."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from pages.common.safe import plain
from sheets_schema.tabs import tab
from storage import Store
from tests.test_pages.conftest import APP, OpenPage, signed_in

MARKUP = ("**b** [x](http://e.example) ![i](http://e.example/p.png) "
          "<img src=http://e.example/q.png> <script>alert(1)</script>")
#: What appears in Markdown only if it came unescaped from the data (escaped, `\<img` and
#: `\*\*b\*\*` render as the characters typed).
UNESCAPED = re.compile(r"\*\*b\*\*|\[x\]\(http|!\[i\]\(|(?<!\\)<(?:img|script)")
ROLES = ("volunteer@example.org", "staff@example.org", "director@example.org",
         "admin@example.org")
PERSON_A, PERSON_B, CAMPAIGN, MAILING = "P-MARKUP-A", "P-MARKUP-B", "C-MARKUP", "ML-MARKUP"
#: Pages that show one record, and the record they are opened on.
DETAIL = {"pages/person.py": {"id": PERSON_A}, "pages/campaign.py": {"id": CAMPAIGN},
          "pages/mailing.py": {"id": MAILING}}


def _text_columns(tab_name: str) -> list[str]:
    """The tab's free-text columns (not keys, links, choices, dates or numbers)."""
    spec = tab(tab_name)
    return [c.name for c in spec.columns if c.kind.name == "text" and not c.kind.choices
            and c.name != spec.key and not c.name.endswith(("_id", "_by"))]


def _planted(store: Store) -> None:
    person = {c: f"{MARKUP} {c}" for c in _text_columns("people")}
    same = {"first_name": MARKUP, "last_name": MARKUP, "email": "markup@example.org",
            "phone": "555 0100", "postcode": "02139"}
    store.append("people", [
        {**person, **same, "id": PERSON_A, "tags": (MARKUP,)},
        {**person, **same, "id": PERSON_B, "notes": f"{MARKUP} other", "city": f"{MARKUP} B"},
    ])
    store.append("campaigns", [{**{c: f"{MARKUP} {c}" for c in _text_columns("campaigns")},
                                "id": CAMPAIGN, "name": MARKUP}])
    store.append("mailings", [{**{c: f"{MARKUP} {c}" for c in _text_columns("mailings")},
                               "id": MAILING, "name": MARKUP, "status": "sent"}])
    store.append("donations", [{"id": "D-MARKUP", "person_id": PERSON_A, "date": "2026-01-05",
                                "amount": "25.00", "campaign_id": CAMPAIGN,
                                "note": MARKUP, "status": "completed"}])


@pytest.fixture
def planted(demo_store: Store) -> Store:
    _planted(demo_store)
    return demo_store


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


#: Elements whose body is Markdown; every widget's label and help are Markdown too, and a
#: radio's options.
_MARKDOWN_BODIES = {"markdown", "caption", "title", "header", "subheader", "error", "warning",
                    "info", "success", "toast", "exception"}


def rendered_markdown(app: AppTest) -> list[str]:
    """Every string on the page that Streamlit renders as Markdown."""
    out: list[str] = []
    for node in _nodes(app._tree):
        proto = getattr(node, "proto", None)
        if node.type in _MARKDOWN_BODIES and hasattr(node, "value"):
            out.append(str(node.value))
        if proto is None:
            continue
        inner = proto
        kind = proto.WhichOneof("type") if "type" in [o.name for o in
                                                      proto.DESCRIPTOR.oneofs] else None
        if kind is not None:
            inner = getattr(proto, kind)
        for name in ("label", "help", "body"):
            if name == "body" and node.type not in _MARKDOWN_BODIES:
                continue
            if name in inner.DESCRIPTOR.fields_by_name:
                out.append(str(getattr(inner, name)))
        if node.type == "radio" or kind == "radio":
            out.extend(str(o) for o in inner.options)
            out.extend(str(o) for o in getattr(inner, "captions", ()))
    return out


def _pages(store: Store, email: str) -> list[str]:
    from pages.common.data import STORE_OVERRIDE

    app = AppTest.from_file(str(APP), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = store
    signed_in(app, email).run()
    root = APP.parent
    return sorted(str(Path(info["script_path"]).relative_to(root))
                  for info in app._registered_pages.values() if info.get("script_path"))


@pytest.mark.parametrize("email", ROLES)
def test_no_page_renders_markup_from_the_data(open_page: OpenPage, planted: Store,
                                              email: str) -> None:
    seen: dict[str, list[str]] = {}
    escaped: set[str] = set()
    pages = _pages(planted, email)
    assert "pages/person.py" in pages
    for path in pages:
        app = open_page(planted, path, user=email, query=DETAIL.get(path))
        markdown = rendered_markdown(app)
        seen.update({path: found} if (found := [s for s in markdown if UNESCAPED.search(s)])
                    else {})
        escaped.update({path} if any(plain(MARKUP) in s for s in markdown) else set())
    assert not seen, seen
    # the data is there, shown as the characters typed, on each record's own page
    assert {path for path in DETAIL if path in pages} <= escaped
