"""Locust users for Shelf: the old service's three API users, a browsing user and a photo user.

Layout: `content` makes names and descriptions of realistic lengths; `ids` is the pool of
item ids the users share; `api_users` the old service's mixed, read-heavy and write-heavy
users; `browsing` a person reading the pages as a browser would; `photos` a phone adding
photos through signed uploads; `record` writes what every request answered, for the fault
checks.
"""
