"""Shelf's Locust users. Pick the classes to run by name (`loadtest/run.py` does, per mix):

    locust -f loadtest/locustfile.py --host http://127.0.0.1:3000 \
        MixedCrudUser ReadHeavyUser WriteHeavyUser          # the old service's mix
    locust -f loadtest/locustfile.py --host ... BrowsingUser PhotoUser ...

Each class's `weight` sets its share of the users.
"""

from shelf_load import record  # noqa: F401  (registers the request recorder)
from shelf_load.api_users import MixedCrudUser, ReadHeavyUser, WriteHeavyUser  # noqa: F401
from shelf_load.browsing import BrowsingUser  # noqa: F401
from shelf_load.photos import PhotoUser  # noqa: F401
