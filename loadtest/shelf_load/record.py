"""With `SHELF_LOAD_RECORD=path`, every request's time, name, status and `Retry-After` go to
`path` as JSON when the run stops, with the ids created and the ids someone tried to delete:
what `loadtest/faults.py` checks an outage against. Bounded: at most `MAX_RECORDS` requests.
"""

import json
import os
import time

from locust import events

from . import ids

MAX_RECORDS = 500_000
# Read once: Locust imports this in the process that run.py started with the variable set.
PATH = os.environ.get("SHELF_LOAD_RECORD")
_records: list = []


@events.request.add_listener
def _keep(request_type, name, response_time, response, exception, **_):
    if PATH is None or len(_records) >= MAX_RECORDS:
        return
    status = getattr(response, "status_code", 0) or 0
    headers = getattr(response, "headers", None) or {}
    _records.append({
        "t": time.time(), "method": request_type, "name": name, "status": status,
        "ms": response_time, "retry_after": headers.get("retry-after"),
        "error": None if exception is None else str(exception)[:200],
    })


@events.test_stop.add_listener
def _write(**_):
    if PATH is None:
        return
    with open(PATH, "w") as out:
        json.dump({"requests": _records, "created": sorted(ids.created),
                   "delete_attempted": sorted(ids.delete_attempted)}, out)
