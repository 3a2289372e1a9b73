"""Casework: a case from intake to closure and follow-up, and what happens in it.

Stages, statuses and who may move a case live in ``lk3.cases.stages`` and the
services; this module only holds the records. Sensitive text (presenting
problem, notes, narratives, closure summaries) is encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lk3.cases.storage import PrivateStorage
from lk3.core.fields import EncryptedJSONField, EncryptedTextField
from lk3.core.models import BaseModel


class Stage(models.TextChoices):
    """The Kemensos social-work sequence (DOMAIN.md section 2), in order."""

    REGISTRATION = "registration", _("Initial approach and registration")
    INITIAL_ASSESSMENT = "initial_assessment", _("Initial assessment")
    IN_DEPTH_ASSESSMENT = "in_depth_assessment", _("In-depth assessment")
    PLANNING = "planning", _("Intervention plan")
    INTERVENTION = "intervention", _("Intervention")
    EVALUATION = "evaluation", _("Evaluation")
    REINTEGRATION = "reintegration", _("Reintegration")
    TERMINATION = "termination", _("Termination")
    FOLLOW_UP = "follow_up", _("Follow-up")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSURE_REQUESTED = "closure_requested", _("Closure awaiting approval")
    CLOSED = "closed", _("Closed")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class ClosureReason(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", _("Goals achieved")
    REFERRED = "referred", _("Referred to another service")
    CLIENT_WITHDREW = "client_withdrew", _("Client withdrew")
    MOVED_AWAY = "moved_away", _("Moved away")
    UNREACHABLE = "unreachable", _("Could not be reached")
    DECEASED = "deceased", _("Deceased")
    REPATRIATED = "repatriated", _("Returned to the area of origin")
    OTHER = "other", _("Other")


class ClosureOutcome(models.TextChoices):
    IMPROVED = "improved", _("Improved")
    PARTLY_IMPROVED = "partly_improved", _("Partly improved")
    UNCHANGED = "unchanged", _("Unchanged")
    WORSENED = "worsened", _("Worsened")
    UNKNOWN = "unknown", _("Not known")


class CaseNumberCounter(models.Model):
    """The last case number given per organisation and year (numbers are never reused)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="cases_counter_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class StageLabel(models.Model):
    """An organisation's own name for a stage (its SOP may say it differently)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="stage_labels",
    )
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices)
    label = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("stage name")
        verbose_name_plural = _("stage names")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "stage"], name="cases_stage_label_once")
        ]

    def __str__(self) -> str:
        return self.label


class Case(BaseModel):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    number = models.CharField(_("case number"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    client = models.ForeignKey(
        "people.Person",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    family = models.ForeignKey(
        "people.Family",
        verbose_name=_("family"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    intake_channel = models.ForeignKey(
        "core.IntakeChannel",
        verbose_name=_("intake channel"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    referrer_name = models.CharField(_("referred by"), max_length=200, blank=True)
    referrer_contact = models.CharField(_("referrer's contact"), max_length=100, blank=True)
    presenting_problem = EncryptedTextField(_("presenting problem"))
    pmks_categories = models.ManyToManyField(
        "core.PmksCategory", verbose_name=_("PMKS categories"), related_name="+"
    )
    problem_types = models.ManyToManyField(
        "core.ProblemType", verbose_name=_("problem types"), related_name="+", blank=True
    )
    risk_level = models.CharField(
        _("risk level"), max_length=16, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Violence or children: only the case team and the coordinator see it."),
    )
    stage = models.CharField(
        _("stage"), max_length=32, choices=Stage.choices, default=Stage.REGISTRATION
    )
    status = models.CharField(
        _("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    lead_counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead counsellor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
    )
    # The client's kelurahan when the case was opened (caseload filters).
    kelurahan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kelurahan"),
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=24, choices=ClosureReason.choices, blank=True
    )
    closure_outcome = models.CharField(
        _("outcome"), max_length=24, choices=ClosureOutcome.choices, blank=True
    )
    times_reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # The earliest open due date (task or follow-up check-in): "overdue" in one indexed column.
    next_due_on = models.DateField(_("next due"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-sequence"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sequence"], name="cases_number_once"
            ),
            models.UniqueConstraint(
                fields=["organisation", "number"], name="cases_number_text_once"
            ),
            models.CheckConstraint(
                condition=Q(client__isnull=False) | Q(family__isnull=False),
                name="cases_for_a_person_or_family",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "stage"], name="cases_org_status_stage"),
            models.Index(
                fields=["organisation", "lead_counsellor", "status"], name="cases_org_lead_status"
            ),
            models.Index(fields=["organisation", "next_due_on"], name="cases_org_next_due"),
            models.Index(
                fields=["organisation", "kelurahan", "status"], name="cases_org_kel_status"
            ),
            models.Index(fields=["organisation", "risk_level", "status"], name="cases_org_risk"),
            # The reports' periods: cases opened or closed between two dates.
            models.Index(fields=["organisation", "opened_on"], name="cases_org_opened"),
            models.Index(fields=["organisation", "closed_on"], name="cases_org_closed"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseMember(models.Model):
    """A worker on the case team, from when to when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="case_memberships",
    )
    added_on = models.DateField(_("since"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    removed_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("case team member")
        verbose_name_plural = _("case team members")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(removed_on__isnull=True),
                name="cases_member_once",
            )
        ]
        indexes = [models.Index(fields=["user", "removed_on"], name="cases_member_user")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.user_id}"


class CaseTransfer(models.Model):
    """The lead counsellor changed: from whom, to whom, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    transferred_at = models.DateTimeField(_("transferred at"))
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["transferred_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_user_id} -> {self.to_user_id}"


class StageChange(models.Model):
    """One move of a case between stages (and its reopening), for the history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=32, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=32, choices=Stage.choices)
    note = models.TextField(_("note"), blank=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage} -> {self.to_stage}"


class ClosureStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ClosureRequest(models.Model):
    """A counsellor asks to close; the coordinator approves or returns it with a comment."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closure_requests")
    reason = models.CharField(_("closure reason"), max_length=24, choices=ClosureReason.choices)
    outcome = models.CharField(_("outcome"), max_length=24, choices=ClosureOutcome.choices)
    summary = EncryptedTextField(_("closing summary"))
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ClosureStatus.choices, default=ClosureStatus.PENDING
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="cases_one_pending_closure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status}"


class CheckIn(models.Model):
    """A scheduled follow-up (bimbingan lanjut) contact after the work is done."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="check_ins")
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up check-in")
        verbose_name_plural = _("follow-up check-ins")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.due_on}"


# -- assessments ---------------------------------------------------------------------------


class InstrumentKind(models.TextChoices):
    INITIAL = "initial", _("Initial assessment")
    IN_DEPTH = "in_depth", _("In-depth assessment")
    RISK = "risk", _("Risk and protective factors")
    FAMILY_FUNCTIONING = "family_functioning", _("Family functioning")


class Instrument(models.Model):
    """A versioned assessment form defined as data (``lk3.cases.instruments`` checks the schema).

    A published version is never changed: answers always point at the
    version they were given to; a changed form is a new version.
    """

    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=24, choices=InstrumentKind.choices)
    name = models.CharField(_("name"), max_length=200)
    schema = models.JSONField(_("schema"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code", "-version"]
        verbose_name = _("assessment instrument")
        verbose_name_plural = _("assessment instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="cases_instrument_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Assessment(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Answers by question code, checked against the instrument's schema.
    # Encrypted: free-text answers are case content like the narrative.
    answers = EncryptedJSONField(_("answers"), default=dict)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    narrative = EncryptedTextField(_("narrative"), blank=True)

    class Meta:
        ordering = ["assessed_on", "id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["case", "instrument"], name="cases_assessment_case")]


# -- intervention plan --------------------------------------------------------------------


class PlanItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Goal(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    description = models.TextField(_("goal"))
    status = models.CharField(
        _("status"), max_length=16, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        # Never the text: audit labels are read by people without case access.
        return f"{self._meta.verbose_name} {self.pk}"


class Activity(BaseModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="activities")
    description = models.TextField(_("activity"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible_other = models.CharField(_("who (outside the team)"), max_length=200, blank=True)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        # Never the text: audit labels are read by people without case access.
        return f"{self._meta.verbose_name} {self.pk}"


class PlanRevision(models.Model):
    """The whole plan as it stood after each change: revisions are kept."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="cases_plan_revision_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.number}"


# -- sessions and tasks ---------------------------------------------------------------------


class SessionKind(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling")
    CONSULTATION = "consultation", _("Consultation")
    HOME_VISIT = "home_visit", _("Home visit")
    CASE_CONFERENCE = "case_conference", _("Case conference")


class CaseSession(BaseModel):
    """A counselling session, consultation, home visit or case conference."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=24, choices=SessionKind.choices)
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("workers present"), related_name="+"
    )
    participants = models.ManyToManyField(
        "people.Person", verbose_name=_("participants"), related_name="+", blank=True
    )
    outside_participants = models.TextField(
        _("other participants"),
        blank=True,
        help_text=_("People from outside (police, school, health), one per line."),
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["case", "held_on"], name="cases_session_case_date")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Task(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    session = models.ForeignKey(
        CaseSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    title = models.CharField(_("task"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="case_tasks",
    )
    due_on = models.DateField(_("due on"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The last day a reminder went out, so a day's reminder is sent once.
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["assignee", "completed_at", "due_on"], name="cases_task_mine"),
            models.Index(fields=["case", "completed_at"], name="cases_task_case"),
        ]

    def __str__(self) -> str:
        # Never the title: audit labels are read by people without case access.
        return f"{self._meta.verbose_name} {self.pk}"


# -- attachments ----------------------------------------------------------------------------


class AttachmentKind(models.TextChoices):
    SCAN = "scan", _("Scanned document")
    LETTER = "letter", _("Letter")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other")


class Attachment(BaseModel):
    """A file of the case, stored outside the web root and served only after the permission check."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to="cases/%Y/%m/", max_length=300, storage=PrivateStorage()
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        # Never the title or file name: audit labels are read by people without case access.
        return f"{self._meta.verbose_name} {self.pk}"
