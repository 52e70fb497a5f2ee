"""The mixed workload bench/load_mixed.py runs with locust: anonymous readers (home, the list,
search, claim pages, history, study pages, the feed), members (signed in: claim pages with the
full verdict, their submissions) and API clients (the claim list, a claim, the study lookup).

A member signs in once per simulated user with the account load_mixed creates
(LOAD_MEMBER / LOAD_PASSWORD); every answer but a 2xx or 3xx counts as an error."""

import os
import random
import re

from locust import HttpUser, between, task

from bench.load import SLUGS

THINK = between(
    float(os.environ.get("LOAD_THINK_MIN", "0.5")), float(os.environ.get("LOAD_THINK_MAX", "1.5"))
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STUDY_DOIS = ["10.1080/02640414.2024.2321021", "10.14814/phy2.15679"]


class Reader(HttpUser):
    weight = 6
    wait_time = THINK

    @task(5)
    def claim_page(self):
        self.client.get(f"/claims/{random.choice(SLUGS)}/", name="/claims/<slug>/")

    @task(2)
    def claim_list(self):
        self.client.get(
            random.choice(["/claims/", "/claims/?sort=strongest", "/"]), name="list, home"
        )

    @task(2)
    def search(self):
        query = random.choice(["failure", "muscle growth", "Refalo", "trainig", "10.14814"])
        self.client.get("/claims/", params={"q": query}, name="/claims/?q=")

    @task(1)
    def history_and_study(self):
        self.client.get(f"/claims/{random.choice(SLUGS)}/history/", name="/claims/<slug>/history/")
        self.client.get(f"/studies/{random.choice(STUDY_DOIS)}/", name="/studies/<doi>/")

    @task(1)
    def feed(self):
        self.client.get("/feeds/claims.atom", name="feed")


class Member(HttpUser):
    weight = 2
    wait_time = THINK

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login")
        token = CSRF.search(page.text)
        self.client.post(
            "/accounts/login/",
            {
                "username": os.environ.get("LOAD_MEMBER", "load-member"),
                "password": os.environ.get("LOAD_PASSWORD", ""),
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
        )

    @task(4)
    def claim_page(self):
        self.client.get(f"/claims/{random.choice(SLUGS)}/", name="member /claims/<slug>/")

    @task(1)
    def my_submissions(self):
        self.client.get("/accounts/submissions/", name="member /accounts/submissions/")


class ApiClient(HttpUser):
    weight = 2
    wait_time = THINK

    @task(2)
    def claim_list(self):
        self.client.get("/api/claims/", name="/api/claims/")

    @task(2)
    def claim(self):
        self.client.get(f"/claims/{random.choice(SLUGS)}.json", name="/claims/<slug>.json")

    @task(1)
    def study_lookup(self):
        self.client.get("/api/studies/", params={"doi": STUDY_DOIS}, name="/api/studies/?doi=")
