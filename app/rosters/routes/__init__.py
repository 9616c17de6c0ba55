"""Routes of the rosters: the versions (`/rosters`), and queries on what is published."""
