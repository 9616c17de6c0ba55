"""Roster exports: a printable Excel workbook, CSV, and per-officer iCalendar feeds."""
