"""Simulated users of bench/casework_bench (one class per target; see that script).

The data file (CASEWORK_BENCH_DATA) holds the session cookies of ``budi``
(coordinator) and ``sari`` (counsellor), the cases each reaches and the
values the filters take. Users alternate between the two accounts and ask
without pause; /healthz is asked anonymously.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, task

DATA: dict[str, Any] = json.loads(Path(os.environ["CASEWORK_BENCH_DATA"]).read_text())
ACCOUNTS = itertools.cycle(("budi", "sari"))
PAGES = (1, 1, 1, 1, 2, 2, 3, 5)
# How many filters a change leaves set.
FILTER_COUNTS = (0, 1, 1, 1, 2, 2, 3)
# Filter or page changes after opening the list.
CHANGES_PER_VISIT = 3


class _LoggedIn(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        self.username = next(ACCOUNTS)
        self.rng = random.Random()
        self.headers = {"Cookie": f"sessionid={DATA['sessions'][self.username]}"}
        self.htmx_headers = {**self.headers, "HX-Request": "true"}


class CaseloadUser(_LoggedIn):
    """Opens the list, then changes filters or pages as the page does it: through htmx,
    which asks for the rows only."""

    @task
    def caseload(self) -> None:
        path = "/cases/caseload/" if self.username == "budi" else "/cases/mine/"
        self.client.get(path, headers=self.headers, name="caseload page")
        for _ in range(CHANGES_PER_VISIT):
            self.client.get(
                path, params=self._filters(), headers=self.htmx_headers, name="caseload rows"
            )

    def _filters(self) -> dict[str, Any]:
        names = [name for name in DATA["filters"] if name != "lead" or self.username == "budi"]
        chosen = self.rng.sample(names, self.rng.choice(FILTER_COUNTS))
        params = {name: self.rng.choice(DATA["filters"][name]) for name in chosen}
        params["page"] = self.rng.choice(PAGES)
        return params


class CaseUser(_LoggedIn):
    @task
    def case(self) -> None:
        public_id = self.rng.choice(DATA["cases"][self.username])
        self.client.get(f"/cases/{public_id}/", headers=self.headers, name="case")


class BareUser(_LoggedIn):
    """The anchor: an empty page in the site's layout (bench/casework/urls.py)."""

    @task
    def bare(self) -> None:
        self.client.get("/bench/bare/", headers=self.headers, name="bare")


class HealthUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def health(self) -> None:
        self.client.get("/healthz", name="health")
