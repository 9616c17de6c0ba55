"""The checks of the optional duty-role fields that span objects: position ids unique within their
post, a post's `leader_skill` in the skill catalogue (when there is one).

Like `solver.io.references`, they run on the raw parsed JSON and skip values the document models
already reject, so that one load reports every error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from solver.io.errors import FormatError


def _items(container: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = container.get(key) if isinstance(container, dict) else None
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield i, item


def _str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return value if isinstance(value, str) and value else None


def position_errors(raw: dict[str, Any]) -> list[FormatError]:
    """Every error of the posts' `positions` and `leader_skill` across objects."""
    errors: list[FormatError] = []
    catalogue = (
        {ident for _, k in _items(raw, "skills") if (ident := _str(k, "id")) is not None}
        if isinstance(raw.get("skills"), list)
        else None
    )
    for i, post in _items(raw, "posts"):
        pid = _str(post, "id")
        skill = _str(post, "leader_skill")
        if skill is not None and catalogue is not None and skill not in catalogue:
            errors.append(FormatError(f"posts[{i}].leader_skill", f"unknown skill {skill!r}", pid))
        first: dict[str, int] = {}
        for j, position in _items(post, "positions"):
            ident = _str(position, "id")
            if ident is None:
                continue
            if ident in first:
                errors.append(
                    FormatError(
                        f"posts[{i}].positions[{j}].id",
                        f"duplicate position id {ident!r} (first at posts[{i}].positions[{first[ident]}])",
                        pid,
                    )
                )
            else:
                first[ident] = j
    return errors
