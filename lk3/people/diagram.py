"""A family's relationship diagram as SVG, drawn on the server.

Genogram conventions, readable in black and white and in print: a square
for a man, a circle for a woman, the head of family with a double outline,
a line joining spouses, children hanging from it; parents and
parents-in-law on the row above, grandchildren below, other household
members to the side. Presentation attributes only (no style attribute),
so the page's Content-Security-Policy stays strict.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from lk3.people.models import Relationship, Sex

NODE = 34
GAP_X = 150
ROW_Y = {"elders": 40, "couple": 150, "children": 270, "grandchildren": 390}
LABEL_WIDTH = 22  # characters before a name is shortened
INK = "#1c2421"
MUTED = "#5b6762"

ROWS: dict[str, str] = {
    Relationship.PARENT: "elders",
    Relationship.PARENT_IN_LAW: "elders",
    Relationship.HEAD: "couple",
    Relationship.HUSBAND: "couple",
    Relationship.WIFE: "couple",
    Relationship.CHILD: "children",
    Relationship.CHILD_IN_LAW: "children",
    Relationship.GRANDCHILD: "grandchildren",
}


@dataclass(frozen=True)
class Member:
    name: str
    relationship: str
    relationship_label: str
    sex: str
    age: int | None


def _short(name: str) -> str:
    return name if len(name) <= LABEL_WIDTH else name[: LABEL_WIDTH - 1] + "…"


def _symbol(x: int, y: int, member: Member) -> str:
    double = member.relationship == Relationship.HEAD
    half = NODE // 2
    if member.sex == Sex.FEMALE:
        shape = (
            f'<circle cx="{x}" cy="{y}" r="{half}" fill="#ffffff" stroke="{INK}" stroke-width="2"/>'
        )
        inner = f'<circle cx="{x}" cy="{y}" r="{half - 5}" fill="none" stroke="{INK}" stroke-width="1.5"/>'
    else:
        shape = (
            f'<rect x="{x - half}" y="{y - half}" width="{NODE}" height="{NODE}" fill="#ffffff" '
            f'stroke="{INK}" stroke-width="2"/>'
        )
        inner = (
            f'<rect x="{x - half + 5}" y="{y - half + 5}" width="{NODE - 10}" height="{NODE - 10}" '
            f'fill="none" stroke="{INK}" stroke-width="1.5"/>'
        )
    age = (
        f'<text x="{x}" y="{y + 5}" text-anchor="middle" font-size="12" fill="{INK}">{member.age}</text>'
        if member.age is not None
        else ""
    )
    labels = (
        f'<text x="{x}" y="{y + half + 16}" text-anchor="middle" font-size="12" fill="{INK}">{escape(_short(member.name))}</text>'
        f'<text x="{x}" y="{y + half + 30}" text-anchor="middle" font-size="11" fill="{MUTED}">{escape(member.relationship_label)}</text>'
    )
    return shape + (inner if double else "") + age + labels


def _row_positions(count: int, width: int) -> list[int]:
    start = (width - (count - 1) * GAP_X) // 2
    return [start + index * GAP_X for index in range(count)]


def family_diagram_svg(members: Sequence[Member], *, title: str) -> SafeString:
    rows: dict[str, list[Member]] = {name: [] for name in ROW_Y}
    others: list[Member] = []
    for member in members:
        row_name = ROWS.get(member.relationship)
        (rows[row_name] if row_name else others).append(member)
    widest = max([len(row) for row in rows.values()] + [len(others) + 2, 1])
    width = max(360, widest * GAP_X + 40)
    used = [name for name, row in rows.items() if row]
    height = (max(ROW_Y[name] for name in used) if used else ROW_Y["couple"]) + 80
    parts: list[str] = []
    positions: dict[str, list[int]] = {}
    for name, row_members in rows.items():
        positions[name] = _row_positions(len(row_members), width - (GAP_X if others else 0))
    couple = positions["couple"]
    if len(couple) >= 2:
        y = ROW_Y["couple"]
        parts.append(
            f'<line x1="{couple[0]}" y1="{y}" x2="{couple[-1]}" y2="{y}" stroke="{INK}" stroke-width="2"/>'
        )
    anchor = (couple[0] + couple[-1]) // 2 if couple else width // 2
    for lower, upper in (("children", "couple"), ("grandchildren", "children")):
        if rows[lower] and positions[upper]:
            top = ROW_Y[upper] + (0 if upper == "couple" and len(couple) >= 2 else NODE // 2 + 34)
            source = (
                anchor if upper == "couple" else (positions[upper][0] + positions[upper][-1]) // 2
            )
            bar = ROW_Y[lower] - NODE // 2 - 14
            parts.append(
                f'<line x1="{source}" y1="{top}" x2="{source}" y2="{bar}" stroke="{INK}" stroke-width="1.5"/>'
            )
            xs = positions[lower]
            parts.append(
                f'<line x1="{min([*xs, source])}" y1="{bar}" x2="{max([*xs, source])}" y2="{bar}" stroke="{INK}" stroke-width="1.5"/>'
            )
            for x in xs:
                parts.append(
                    f'<line x1="{x}" y1="{bar}" x2="{x}" y2="{ROW_Y[lower] - NODE // 2}" stroke="{INK}" stroke-width="1.5"/>'
                )
    if rows["elders"] and couple:
        y = ROW_Y["elders"] + NODE // 2 + 34
        parts.append(
            f'<line x1="{anchor}" y1="{y}" x2="{anchor}" y2="{ROW_Y["couple"] - NODE // 2}" stroke="{MUTED}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
    for name, row_members in rows.items():
        for x, member in zip(positions[name], row_members, strict=True):
            parts.append(_symbol(x, ROW_Y[name], member))
    for index, member in enumerate(others):
        parts.append(_symbol(width - GAP_X // 2 - 10, ROW_Y["couple"] + index * 120, member))
    height = max(height, ROW_Y["couple"] + len(others) * 120)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="diagram" font-family="DejaVu Sans, sans-serif">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 -- every text is escaped above


def members_for_diagram(memberships: Sequence[object], today: datetime.date) -> list[Member]:
    """Current memberships as diagram members."""
    members = []
    for membership in memberships:
        person = membership.person  # type: ignore[attr-defined]
        members.append(
            Member(
                name=person.full_name,
                relationship=membership.relationship,  # type: ignore[attr-defined]
                relationship_label=str(membership.get_relationship_display()),  # type: ignore[attr-defined]
                sex=person.sex,
                age=person.age_on(today),
            )
        )
    return members
