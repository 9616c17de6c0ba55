"""Accounts, their bearer tokens, and the role rules of the service (`access`)."""
