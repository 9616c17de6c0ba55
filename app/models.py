"""Every table of the service, registered on the one `Base.metadata` (Alembic's env and the tests
import this). Each domain package owns its models; this module only imports them all."""

from __future__ import annotations

from app.accounts import models as accounts
from app.audit import models as audit
from app.changes import models as changes
from app.core.db import Base
from app.groups import models as groups
from app.jobs import models as jobs
from app.levels import models as levels
from app.notifications import models as notifications
from app.reference import models as reference
from app.rosters import models as rosters
from app.tours import models as tours

DOMAINS = (reference, accounts, rosters, jobs, changes, audit, tours, notifications, levels, groups)
metadata = Base.metadata

__all__ = ["DOMAINS", "metadata"]
