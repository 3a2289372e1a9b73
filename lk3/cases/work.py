"""Rules shared by the work recorded on a case: sessions, tasks and attachments.

Rules:
- Work is recorded on any case that is not closed (a session or a letter
  while the closure waits for approval is normal); a closed case is
  reopened first.
- The people who can be present at a session or be given a task are the
  case team (the lead counsellor and current team members) and the
  organisation's coordinators, who may work on every case; all must be
  active accounts.
- Recording work marks the case as active (``last_activity_at``) without
  changing its version: a colleague editing the case details at the same
  time is not told that their edit went stale because of a session note.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lk3.accounts.models import User
from lk3.accounts.roles import Role
from lk3.cases.models import Case, CaseMember, CaseStatus
from lk3.core.errors import DomainError

CASE_CLOSED = _("This case is closed: reopen it before recording work on it.")
# A second identical submission within this time is the same submission
# (a double click on a slow link), not new work.
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=10)


def require_not_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise DomainError(CASE_CLOSED, code="case_closed")


def case_workers(case: Case) -> QuerySet[User]:
    """Who may be present at a session of the case or be given one of its tasks."""
    on_team = CaseMember.objects.filter(case=case, user=OuterRef("pk"), removed_on__isnull=True)
    return User.objects.filter(
        Q(pk=case.lead_counsellor_id)
        | Q(Exists(on_team))
        | Q(organisation_id=case.organisation_id, role=Role.COORDINATOR),
        is_active=True,
    ).order_by("full_name", "pk")


def activity_touch(case: Case, when: datetime.datetime | None = None) -> None:
    """Mark the case as worked on, inside the caller's transaction."""
    when = when or timezone.now()
    Case.objects.filter(pk=case.pk).update(last_activity_at=when)
    case.last_activity_at = when
