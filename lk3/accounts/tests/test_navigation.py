"""The menu shows each role the registry pages it may open, and no others."""

from __future__ import annotations

import pytest

from lk3.accounts.navigation import navigation_for

REGISTRY_PAGES = {"people:search", "people:duplicate_list", "people:merge_list"}


def registry_items(user) -> set[str]:
    return {item.url_name for item in navigation_for(user)} & REGISTRY_PAGES


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("budi", REGISTRY_PAGES),
        ("intan", {"people:search", "people:duplicate_list"}),
        ("sari", {"people:search"}),
        ("putri", {"people:search"}),
        ("rina", {"people:merge_list"}),
        ("pak_agus", set()),
        ("mitra_ppa", set()),
        ("viewer", set()),
    ],
)
def test_the_menu_offers_the_registry_pages_the_role_may_open(request, who, expected):
    user = request.getfixturevalue(who)

    assert registry_items(user) == expected


def test_every_menu_item_opens_for_its_user(client, budi):
    client.force_login(budi)

    statuses = {item.url_name: client.get(item.url).status_code for item in navigation_for(budi)}

    assert set(statuses.values()) == {200}
