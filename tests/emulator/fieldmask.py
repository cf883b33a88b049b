"""Google field masks: ``fields=sheets.properties,properties(title,locale)``.

Used two ways: to trim a spreadsheets.get answer to the requested ``fields``, and to
apply only the masked fields of an updateSheetProperties / updateCells request.
"""

from __future__ import annotations

from typing import Any

Mask = dict[str, "Mask"]  # empty dict = the whole field


def parse_mask(text: str) -> Mask:
    """Parse ``a.b,c(d,e/f)`` into a nested dict of field names."""
    pos = 0

    def fields() -> Mask:
        nonlocal pos
        out: Mask = {}
        while pos < len(text):
            name_start = pos
            while pos < len(text) and text[pos] not in ".,/()":
                pos += 1
            name = text[name_start:pos].strip()
            node = out.setdefault(name, {})
            if pos < len(text) and text[pos] in "./":
                pos += 1
                sub = fields_one()
                _merge(node, sub)
            elif pos < len(text) and text[pos] == "(":
                pos += 1
                _merge(node, fields())
                pos += 1  # ")"
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            if pos < len(text) and text[pos] == ")":
                return out
        return out

    def fields_one() -> Mask:
        nonlocal pos
        name_start = pos
        while pos < len(text) and text[pos] not in ".,/()":
            pos += 1
        name = text[name_start:pos].strip()
        node: Mask = {}
        if pos < len(text) and text[pos] in "./":
            pos += 1
            node = fields_one()
        elif pos < len(text) and text[pos] == "(":
            pos += 1
            node = fields()
            pos += 1
        return {name: node}

    return fields()


def _merge(into: Mask, extra: Mask) -> None:
    for key, sub in extra.items():
        if key in into and into[key] and sub:
            _merge(into[key], sub)
        elif key in into and not into[key]:
            continue
        else:
            into[key] = sub


def _select(data: Any, mask: Mask) -> Any:
    if not mask or "*" in mask:
        return data
    if isinstance(data, list):
        return [_select(item, mask) for item in data]
    if not isinstance(data, dict):
        return data
    return {k: _select(data[k], sub) for k, sub in mask.items() if k in data}


def apply_fields(data: dict[str, Any], fields: str) -> dict[str, Any]:
    """Keep only the masked parts of a response (``fields`` query parameter)."""
    return _select(data, parse_mask(fields))


def mask_paths(fields: str) -> list[list[str]]:
    """Flatten a mask into paths: ``gridProperties/rowCount,title`` -> [[g, r], [title]]."""
    out: list[list[str]] = []

    def walk(mask: Mask, prefix: list[str]) -> None:
        for key, sub in mask.items():
            if sub:
                walk(sub, prefix + [key])
            else:
                out.append(prefix + [key])

    walk(parse_mask(fields), [])
    return out
