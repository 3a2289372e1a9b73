"""Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    ViewportSize,
    sync_playwright,
)

from lk3.people import search

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/bootstrap test")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request, browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(
        viewport=request.param,
        base_url=live_server.url,
        locale="en-US",
        is_mobile=request.param is PHONE,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.is_phone = request.param is PHONE  # type: ignore[attr-defined]
    yield page
    context.close()


NewPage = Callable[[dict[str, int], bool], Page]


@pytest.fixture(autouse=True)
def fresh_vocabulary() -> None:
    # The live server runs in this process: no name list cached by an earlier test.
    search.vocabulary_cache_clear()


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[NewPage]:
    """Opens a page in a browser context of its own (phone or desktop), one per person in a
    story; downloads allowed; closes them all at the end."""
    contexts: list[BrowserContext] = []

    def open_page(size: dict[str, int], phone: bool) -> Page:
        context = browser.new_context(
            viewport=ViewportSize(width=size["width"], height=size["height"]),
            base_url=live_server.url,
            locale="en-US",
            is_mobile=phone,
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.is_phone = phone  # type: ignore[attr-defined]
        return page

    yield open_page
    for context in contexts:
        context.close()


def menu(page: Page) -> Locator:
    """The navigation: on a phone, behind the menu button."""
    if page.is_phone:  # type: ignore[attr-defined]
        page.locator("details.nav-narrow summary").click()
        return page.locator("details.nav-narrow")
    return page.locator("nav.nav-wide")


def open_menu(page: Page, name: str) -> None:
    """Follows the menu item named exactly ``name`` ("Laporan" is the start of other items)."""
    menu(page).get_by_role("link", name=name, exact=True).click()


def open_menu_item(page: Page, name: str) -> None:
    """Phones reach the navigation through the menu button."""
    if page.is_phone:  # type: ignore[attr-defined]
        page.locator("details.nav-narrow summary").click()
        page.locator("details.nav-narrow").get_by_role("link", name=name).click()
    else:
        page.locator("nav.nav-wide").get_by_role("link", name=name).click()
