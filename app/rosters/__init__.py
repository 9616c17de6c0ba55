"""Roster versions (draft → published → superseded), queries on the published roster, reports,
score analysis and exports."""
