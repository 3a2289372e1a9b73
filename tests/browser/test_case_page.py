"""The case page's quick actions as the lead counsellor meets them.

Sari moves her case on without the page reloading (htmx swaps the main
part under the strict CSP), then tries to send it back without saying why:
the form comes back with the message and the case stays where it is.
"""

from django.urls import reverse
from playwright.sync_api import expect

from lk3.cases.models import Case, Stage
from lk3.cases.tests.builders import open_case
from tests.browser.test_people_registry import log_in


def test_quick_actions_update_the_case_page_in_place(page, sari):
    case = open_case(sari)
    log_in(page, "sari")
    page.goto(reverse("cases:case_detail", args=[case.public_id]))
    page.evaluate("window.notReloaded = true")

    page.locator(".quick-actions details.quick-action summary").first.click()
    page.locator(".quick-actions details.quick-action[open] button[type=submit]").click()

    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(".stage-steps li").nth(1)).to_have_class("current")
    assert page.evaluate("window.notReloaded") is True
    assert Case.objects.get().stage == Stage.INITIAL_ASSESSMENT

    back = page.locator(".quick-actions details.quick-action").nth(1)
    back.locator("summary").click()
    back.locator("button[type=submit]").click()

    expect(page.locator(".errorlist")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    assert Case.objects.get().stage == Stage.INITIAL_ASSESSMENT
