"""The load `bench/loadtest.py` puts on the site: readers, searchers and API clients.

Each simulated client asks again as soon as it has an answer, so the load is
set by the number of clients alone. LOADTEST_TARGETS names a JSON file of
article slugs, place slugs and search queries (bench/services.py, targets()).
Readers crowd onto a few stories as they do on a news site: the n-th most
read article or place is asked for in proportion to 1/n (Zipf).
"""

import json
import os
import random
from itertools import accumulate
from pathlib import Path

from locust import FastHttpUser, constant, task

TARGETS = json.loads(Path(os.environ["LOADTEST_TARGETS"]).read_text())


def popular(items):
    """A function choosing one of ``items``, the n-th with weight 1/n."""
    weights = list(accumulate(1 / rank for rank in range(1, len(items) + 1)))
    return lambda: random.choices(items, cum_weights=weights)[0]


article_slug = popular(TARGETS["articles"])
place_slug = popular(TARGETS["places"])


class Visitor(FastHttpUser):
    wait_time = constant(0)

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(6)
    def article(self):
        self.client.get(f"/articles/{article_slug()}/", name="article")

    @task(2)
    def place(self):
        self.client.get(f"/places/{place_slug()}/", name="place")

    @task(2)
    def search(self):
        self.client.get("/search/", params={"q": random.choice(TARGETS["searches"])}, name="search")

    @task(2)
    def api_list(self):
        self.client.get("/api/v1/articles/?page_size=100", name="API list (100)")

    @task(1)
    def api_search(self):
        query = random.choice(TARGETS["searches"])
        self.client.get("/api/v1/articles/", params={"search": query}, name="API search")
