"""Showing data safely: names, notes and ids come from people and from the sheet, so they are
never rendered as Markdown or HTML (a link or image in a donor's name must stay text)."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=&])")


def plain(text: object) -> str:
    """`text` with every Markdown-active character escaped, for st.title, st.error and kin:
    ``plain("[x](http://e)")`` shows exactly ``[x](http://e)``."""
    return _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", "  \n")
