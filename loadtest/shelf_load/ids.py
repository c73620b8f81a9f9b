"""Item ids the users of one Locust process share, so that one user reads, edits and deletes
what others created, as on the old service. Bounded: the oldest ids fall out."""

import collections
import random
import uuid

_known: collections.deque = collections.deque(maxlen=2000)


def fresh() -> str:
    """An id chosen by the client, as the old clients did (creates are then idempotent)."""
    return str(uuid.uuid4())


def remember(item_id: str) -> None:
    _known.append(item_id)


def forget(item_id: str) -> None:
    try:
        _known.remove(item_id)
    except ValueError:
        pass


def pick(rng: random.Random) -> str:
    """A known id, or a fresh one when none is known yet (which then answers 404)."""
    return rng.choice(_known) if _known else fresh()


def seen(items: list) -> None:
    """Remembers the ids of a listed page, so readers also reach items made by others."""
    for item in items[:10]:
        if isinstance(item, dict) and "id" in item:
            remember(item["id"])


# For the fault checks: every id whose create was answered 201, and every id someone tried to
# delete (a delete answered 503 may still have been applied). The first minus the second must
# all be readable after the run.
created: set = set()
delete_attempted: set = set()


def created_ok(item_id: str) -> None:
    created.add(item_id)
    remember(item_id)


def deleting(item_id: str) -> None:
    delete_attempted.add(item_id)
    forget(item_id)
