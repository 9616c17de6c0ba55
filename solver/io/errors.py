"""Errors in input documents: each names the field path, the problem and the offending object's id."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True)
class FormatError:
    """One problem in an input document: where (field path), what, and the id of the object."""

    path: str
    message: str
    id: str | None = None

    def __str__(self) -> str:
        where = self.path or "(document)"
        owner = f" [id {self.id!r}]" if self.id is not None else ""
        return f"{where}: {self.message}{owner}"


class InvalidDocument(ValueError):
    """The document is not valid input; `errors` lists every problem found."""

    def __init__(self, errors: list[FormatError], what: str = "scenario") -> None:
        self.errors = errors
        self.what = what
        super().__init__(f"invalid {what}: {len(errors)} error(s)\n" + "\n".join(map(str, errors)))


def format_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def owner_id(raw: Any, loc: tuple[int | str, ...]) -> str | None:
    """The id of the innermost object on `loc` that has a string id (the offending object)."""
    found = None
    node = raw
    for part in loc:
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        found = node["id"]
    return found


def pydantic_errors(exc: ValidationError, raw: Any) -> list[FormatError]:
    errors = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        message = _friendly(err)
        if loc[-2:-1] and loc[-1] == "[key]":  # a bad key of an object: name the object, then the key
            message = f"key {json.dumps(loc[-2], ensure_ascii=False)}: {message}"
            loc = loc[:-2]
        errors.append(FormatError(format_path(loc), message, owner_id(raw, loc)))
    return errors


def _friendly(err: Any) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    if kind in ("int_type", "int_from_float", "int_parsing"):
        return f"expected an integer, got {json.dumps(value, ensure_ascii=False)}"
    if kind == "string_type":
        return f"expected a string, got {json.dumps(value, ensure_ascii=False)}"
    if kind == "bool_type":
        return f"expected true or false, got {json.dumps(value, ensure_ascii=False)}"
    if kind in ("list_type", "dict_type", "model_type"):
        expected = {"list_type": "a list", "dict_type": "an object", "model_type": "an object"}[kind]
        return f"expected {expected}, got {json.dumps(value, ensure_ascii=False)[:60]}"
    message: str = err["msg"]
    return message.removeprefix("Value error, ")
