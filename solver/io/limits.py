"""The one set of limits on input values: the scenario loader, the service's API schemas and its
database columns all take them from here, so that what one accepts the others can store and read.

- ids: 1..`ID_LENGTH` characters, no NUL, no `/` (an id is a URL path segment), no leading or
  trailing white space (so not only spaces either);
- names: 1..`NAME_LENGTH` characters, not only white space; free text (reasons): at most
  `TEXT_LENGTH`; no string holds NUL or a lone surrogate (neither can be stored in PostgreSQL or
  written as UTF-8);
- integers: at most `INT_MAX` (PostgreSQL's INTEGER), row ids 1..`INT_MAX`;
- JSON documents: nested at most `MAX_DEPTH` deep (Python's own limit of 4,300 digits an integer
  stays, and such a number is out of range anyway).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictInt, StrictStr

ID_LENGTH = 64
NAME_LENGTH = 200
TEXT_LENGTH = 200
INT_MAX = 2**31 - 1
MAX_DEPTH = 64

ID_PATTERN = r"^[^/\s\x00]([^/\x00]*[^/\s\x00])?$"
"""An id's characters: no `/` or NUL anywhere, no white space at either end (a JSON Schema pattern)."""

_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """What makes a string unstorable (NUL, a lone surrogate), or None."""
    found = _BAD_CHARACTER.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "must not contain a NUL character"
    return "must not contain a lone surrogate (not valid Unicode text)"


def check_text(value: str) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def check_id(value: str) -> str:
    check_text(value)
    if "/" in value:
        raise ValueError("an id must not contain '/'")
    if value != value.strip():
        raise ValueError("an id must not begin or end with white space")
    return value


def check_name(value: str) -> str:
    check_text(value)
    if not value.strip():
        raise ValueError("a name must not be empty or only white space")
    return value


def id_problem(value: str) -> str | None:
    """Why `value` is no valid id (length and characters), or None."""
    if not 1 <= len(value) <= ID_LENGTH:
        return f"an id has 1 to {ID_LENGTH} characters, not {len(value)}"
    try:
        check_id(value)
    except ValueError as exc:
        return str(exc)
    return None


def depth_problem(value: Any, limit: int = MAX_DEPTH) -> str | None:
    """Whether a parsed JSON value nests deeper than `limit` (without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return f"nested deeper than {limit} levels"
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return None


def strings_problems(
    value: Any, at_most: int = 50, integers: bool = False
) -> list[tuple[tuple[int | str, ...], str]]:
    """The paths and problems of the unstorable strings (keys or values) in a parsed JSON value;
    `integers`: also of the integers beyond `INT_MAX`."""
    found: list[tuple[tuple[int | str, ...], str]] = []
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(value, ())]
    while stack and len(found) < at_most:
        node, path = stack.pop()
        if isinstance(node, str):
            problem = text_problem(node)
            if problem is not None:
                found.append((path, problem))
        elif integers and isinstance(node, int) and not isinstance(node, bool) and abs(node) > INT_MAX:
            found.append((path, f"must be at most {INT_MAX} in size"))
        elif isinstance(node, dict):
            for key, child in node.items():
                problem = text_problem(key)
                if problem is not None:
                    found.append((path, f"a key {problem}"))
                stack.append((child, (*path, key)))
        elif isinstance(node, list):
            stack.extend((child, (*path, i)) for i, child in enumerate(node))
    return found


# Pydantic types of the scenario format (strict: JSON strings and integers only).
DocId = Annotated[
    StrictStr,
    Field(min_length=1, max_length=ID_LENGTH, json_schema_extra={"pattern": ID_PATTERN}),
    AfterValidator(check_id),
]
DocName = Annotated[StrictStr, Field(min_length=1, max_length=NAME_LENGTH), AfterValidator(check_name)]
DocText = Annotated[StrictStr, Field(max_length=TEXT_LENGTH), AfterValidator(check_text)]
DocInt = Annotated[StrictInt, Field(le=INT_MAX)]
