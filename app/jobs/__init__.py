"""Roster jobs: each solve runs in its own process, supervised by a thread of the service."""
