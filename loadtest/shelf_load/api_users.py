"""The old service's three Locust users, against `/api/items`: a mixed CRUD user with weighted
tasks, a read-heavy user (what the load balancer spreads) and a write-heavy user (what makes
the group scale out). Ids are chosen by the client; a 404 on reading, editing or deleting an
item another user deleted is a success, as it was in the old file.

Request names are the server's route patterns, so the report can put Locust's timings beside
`/metrics` (which labels by pattern) line by line.
"""

import os
import random

from locust import FastHttpUser, between

from . import content, ids

ITEMS = "/api/items"
ITEM = "/api/items/{id}"
# A create answers 201, or 200 when the same create was made before: the store's SDK retries
# an attempt that timed out, and the retry may find the first attempt's item.
CREATED = (201, 200)
# Runs signed in with a token (`run.py --auth token`) send it; the old clients send nothing.
HEADERS = ({"Authorization": f"Bearer {os.environ['SHELF_LOAD_TOKEN']}"}
           if os.environ.get("SHELF_LOAD_TOKEN") else {})
# Runs signed in with sessions (`run.py --auth session`): each user signs in once, as a person
# in a browser does, and its client keeps the session cookie.
SIGN_IN = os.environ.get("SHELF_LOAD_SIGN_IN")


def sign_in(client) -> None:
    """A session of its own for this Locust user, kept in its client's cookie jar."""
    email, password = SIGN_IN.split(":", 1)
    with client.post("/sign-in", data={"email": email, "password": password, "next": "/"},
                     name="/sign-in", allow_redirects=False, catch_response=True) as r:
        settle(r, 303)


def settle(response, *ok: int) -> None:
    """Marks `response` a success if its status is one of `ok`, a failure naming it if not."""
    if response.status_code in ok:
        response.success()
    else:
        body = (response.text or "")[:200]
        response.failure(f"{response.status_code}: {body}")


class ApiUser(FastHttpUser):
    """What the three share: one request of each kind, each a task (Locust calls a task with
    the user), weighted per class in its `tasks`."""

    abstract = True

    def on_start(self) -> None:
        self.rng = random.Random()
        if SIGN_IN:
            sign_in(self.client)

    def list_items(self) -> None:
        with self.client.get(f"{ITEMS}?limit=50", name=ITEMS, headers=HEADERS,
                             catch_response=True) as r:
            settle(r, 200)
            if r.status_code == 200:
                ids.seen(r.json())

    def get_item(self) -> None:
        item_id = ids.pick(self.rng)
        with self.client.get(f"{ITEMS}/{item_id}", name=ITEM, headers=HEADERS,
                             catch_response=True) as r:
            settle(r, 200, 404)

    def create_item(self) -> None:
        item_id = ids.fresh()
        body = {
            "id": item_id,
            "name": content.name(self.rng),
            "description": content.description(self.rng),
        }
        with self.client.post(ITEMS, json=body, name=ITEMS, headers=HEADERS,
                              catch_response=True) as r:
            settle(r, *CREATED)
            if r.status_code in CREATED:
                ids.created_ok(item_id)

    def update_item(self) -> None:
        item_id = ids.pick(self.rng)
        body = {"name": content.name(self.rng), "description": content.description(self.rng)}
        with self.client.put(f"{ITEMS}/{item_id}", json=body, name=ITEM, headers=HEADERS,
                             catch_response=True) as r:
            settle(r, 200, 404)

    def delete_item(self) -> None:
        item_id = ids.pick(self.rng)
        ids.deleting(item_id)
        with self.client.delete(f"{ITEMS}/{item_id}", name=ITEM, headers=HEADERS,
                                catch_response=True) as r:
            settle(r, 204, 404)


class MixedCrudUser(ApiUser):
    """Mostly reading, sometimes writing: the everyday client."""

    weight = 3
    wait_time = between(1, 3)
    tasks = {ApiUser.list_items: 4, ApiUser.get_item: 3, ApiUser.create_item: 2,
             ApiUser.update_item: 2, ApiUser.delete_item: 1}


class ReadHeavyUser(ApiUser):
    """Only reads, quickly: the traffic the load balancer spreads over instances."""

    weight = 2
    wait_time = between(0.5, 2)
    tasks = {ApiUser.list_items: 3, ApiUser.get_item: 7}


class WriteHeavyUser(ApiUser):
    """Creates, edits and deletes: the traffic that makes the group scale out."""

    weight = 1
    wait_time = between(1, 3)
    tasks = {ApiUser.create_item: 5, ApiUser.update_item: 3, ApiUser.delete_item: 2}
