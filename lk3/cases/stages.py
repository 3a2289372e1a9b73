"""The order of the stages and which moves between them are allowed.

Rules:
- A case moves one stage forward at a time (no stage is skipped) or one
  stage back (an evaluation can send it back to intervention, for example);
  a move back needs a note saying why.
- Only an open case moves. Closing goes through a closure request that the
  coordinator approves (``services.case_closure_request``).
- Names shown for the stages are the organisation's when it set its own
  (``StageLabel``), else the standard ones.
"""

from __future__ import annotations

from lk3.cases.models import Stage, StageLabel

ORDER: tuple[str, ...] = tuple(Stage.values)
# From these stages the work is done and a case may close with "goals achieved".
CLOSING_STAGES = frozenset({Stage.TERMINATION, Stage.FOLLOW_UP})
# A reopened case starts again from the initial assessment.
REOPEN_STAGE = Stage.INITIAL_ASSESSMENT


def position(stage: str) -> int:
    return ORDER.index(stage)


def next_stage(stage: str) -> str | None:
    index = position(stage)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def previous_stage(stage: str) -> str | None:
    index = position(stage)
    return ORDER[index - 1] if index > 0 else None


def is_forward(from_stage: str, to_stage: str) -> bool:
    return next_stage(from_stage) == to_stage


def is_back(from_stage: str, to_stage: str) -> bool:
    return previous_stage(from_stage) == to_stage


def stage_labels(organisation_id: int | None) -> dict[str, str]:
    """Every stage's name as the organisation calls it."""
    labels = {str(value): str(label) for value, label in Stage.choices}
    if organisation_id is not None:
        labels.update(
            StageLabel.objects.filter(organisation_id=organisation_id).values_list("stage", "label")
        )
    return labels
