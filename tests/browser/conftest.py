"""Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

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


def open_menu_item(page: Page, name: str) -> None:
    """Phones reach the navigation through the menu button."""
    if page.is_phone:  # type: ignore[attr-defined]
        page.locator("details.nav-narrow summary").click()
        page.locator("details.nav-narrow").get_by_role("link", name=name).click()
    else:
        page.locator("nav.nav-wide").get_by_role("link", name=name).click()
