"""Dependencies point one way (DESIGN.md section 2, decision 0001)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LK3 = Path(__file__).resolve().parent.parent / "lk3"
# Each app may import the apps before it. audit's services, actions and
# selectors sit below accounts (decision 0001).
ORDER = [
    "core",
    "audit_base",
    "regions",
    "accounts",
    "audit",
    "people",
    "cases",
    "referrals",
    "repatriation",
    "reports",
    "api",
    "seed",
]
AUDIT_BASE = {"services.py", "actions.py", "selectors.py", "models.py"}


def layer_of(path: Path) -> str:
    app = path.relative_to(LK3).parts[0]
    if app == "audit" and path.name in AUDIT_BASE:
        return "audit_base"
    return app


def imported_layers(path: Path) -> set[str]:
    layers = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "lk3" and len(parts) > 1:
                target = parts[1]
                if target == "audit" and len(parts) > 2 and f"{parts[2]}.py" in AUDIT_BASE:
                    target = "audit_base"
                layers.add(target)
    return layers


# Interfaces (pages, admin, commands) may call any domain app; the rule is
# for the domain modules they call.
INTERFACE_FILES = {
    "views.py",
    "urls.py",
    "forms.py",
    "admin.py",
    "admin_mixins.py",
    "navigation.py",
    "context_processors.py",
    "middleware.py",
}
INTERFACE_DIRS = {"tests", "migrations", "management", "templatetags"}
SOURCES = sorted(
    path
    for path in LK3.rglob("*.py")
    if not INTERFACE_DIRS & set(path.parts)
    and path.name not in INTERFACE_FILES
    and path.parent != LK3
)


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(LK3)) for p in SOURCES])
def test_imports_point_down_the_layers(path):
    own = ORDER.index(layer_of(path))
    upward = [layer for layer in imported_layers(path) if ORDER.index(layer) > own]

    assert upward == []
