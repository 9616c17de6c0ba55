"""Duty groups (执勤组) and their rotation patterns, stored (issue 13; scenario format v2 `groups`)."""
