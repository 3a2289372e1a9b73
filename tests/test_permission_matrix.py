"""Drives tests/matrix.py: one test per URL x role x ownership row.

Also asserts that a refused request changed nothing: no audit row was
written and the record's version is the same.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import make_board_member, tiny_png
from lk3.accounts.models import BoardMember
from lk3.audit.models import AuditEvent
from tests.matrix import ANONYMOUS, CAST, EXEMPT_NAMESPACES, ROWS, Row

CASES = [(row, role) for row in ROWS for role in row.expect]


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_row():
    covered = {row.url_name for row in ROWS}
    names = {
        name
        for name in _url_names(get_resolver().url_patterns)
        if name.split(":")[0] not in EXEMPT_NAMESPACES
    }
    assert sorted(names - covered) == []


def test_every_row_names_a_real_url():
    names = _url_names(get_resolver().url_patterns)
    assert sorted({row.url_name for row in ROWS} - names) == []


@pytest.fixture
def world(request, lk3_bontang, lk3_samarinda, dinsos_bontang):
    for organisation in (lk3_bontang, dinsos_bontang):
        organisation.logo.save("logo.png", ContentFile(tiny_png()))
    users = {role: request.getfixturevalue(name) for role, name in CAST.items()}
    same = make_board_member(lk3_bontang, "Serka Dedi Kurniawan", kelurahan=["64.74.02.1001"])
    other = make_board_member(lk3_samarinda, "Serda Yohanes Lado", kelurahan=[])
    return {"users": users, "same_org": same, "other_org": other}


def _kwargs(row: Row, world: dict[str, Any]) -> dict[str, Any]:
    if row.ownership == "none":
        return dict(row.kwargs)
    return {"public_id": world[row.ownership].public_id}


def _is_refusal(response: Any, role: str) -> bool:
    if response.status_code in (403, 404):
        return True
    return role == ANONYMOUS and response.get("Location", "").startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{row.id} {role}" for row, role in CASES])
def test_permission_matrix(client, world, row: Row, role: str):
    # given
    if role != ANONYMOUS:
        client.force_login(world["users"][role])
    url = reverse(row.url_name, kwargs=_kwargs(row, world))
    audit_before = AuditEvent.objects.count()
    target = world.get(row.ownership)
    # when
    send = client.post if row.method == "POST" else client.get
    response = send(url, data=dict(row.data))
    # then
    assert response.status_code == row.expect[role]
    if row.method == "POST" and _is_refusal(response, role):
        assert AuditEvent.objects.count() == audit_before
        if isinstance(target, BoardMember):
            assert BoardMember.objects.get(pk=target.pk).version == target.version
