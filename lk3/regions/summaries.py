"""Plain-data views of identity results and regions, for JSON outputs.

One shape for the ``nik`` command and the API, so scripts and integrations
read the same thing.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from lk3.regions.identity import IdentityResult, Problem
from lk3.regions.models import Region
from lk3.regions.selectors import region_path

PATH_KEYS = ("province", "regency", "district")


def identity_summary(result: IdentityResult) -> dict[str, Any]:
    summary = {
        "valid": result.valid,
        "errors": [problem_summary(problem) for problem in result.errors],
        "warnings": [problem_summary(problem) for problem in result.warnings],
        "region": issuing_region_summary(result.region),
        "birth_date": result.birth_date.isoformat() if result.birth_date else None,
        "sex": result.sex,
    }
    if result.recorded_date is not None:
        summary["recorded_date"] = result.recorded_date.isoformat()
    return summary


def problem_summary(problem: Problem) -> dict[str, str]:
    return {"code": problem.code, "message": str(problem.message)}


def issuing_region_summary(region: Region | None) -> dict[str, str | None] | None:
    """The region of issue as province / regency / district names."""
    if region is None:
        return None
    names = [ancestor.name for ancestor in region_path(region)]
    return {"code": region.code, **dict(zip_longest(PATH_KEYS, names[: len(PATH_KEYS)]))}
