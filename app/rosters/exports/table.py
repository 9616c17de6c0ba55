"""A roster version as a flat table (CSV) with names, in the detachment's time zone."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from app.rosters.schemas import DutyRead

COLUMNS = (
    "date",
    "shift",
    "shift_name",
    "start",
    "end",
    "unit",
    "post",
    "post_name",
    "officer",
    "officer_name",
    "leader",
    "position",
    "position_name",
    "group",
    "group_name",
)


def duties_csv(duties: Iterable[DutyRead]) -> str:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read the Chinese names right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for d in duties:
        writer.writerow(
            [
                d.date.isoformat(),
                d.shift,
                d.shift_name,
                d.start.isoformat(timespec="minutes"),
                d.end.isoformat(timespec="minutes"),
                d.unit,
                d.post,
                d.post_name,
                d.officer,
                d.officer_name,
                "1" if d.leader else "",
                d.position or "",
                d.position_name or "",
                d.group or "",
                d.group_name or "",
            ]
        )
    return "\ufeff" + buffer.getvalue()
