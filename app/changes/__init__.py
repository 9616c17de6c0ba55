"""Change requests on the published roster: swap, cover, leave, coverage change (`kinds`), from
submission to the new published version."""
