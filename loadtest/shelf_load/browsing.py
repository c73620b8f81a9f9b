"""A person browsing the site: the list page, then a few item pages, with the assets and photos
a browser fetches for them, cached the way the server's headers say.

`/pkg` files are `no-cache` (revalidated: 304 when unchanged), photos are `immutable` (never
asked for again while cached). Images marked `loading="lazy"` are left out, as a browser
leaves them until they are scrolled to.
"""

import random
import re
import time

from locust import FastHttpUser, between, task

from .api_users import settle

ASSET = re.compile(r'(?:href|src)="(/pkg/[^"]+|/favicon[^"]*)"')
EAGER_IMAGE = re.compile(r'<img(?![^>]*loading="lazy")[^>]*?\ssrc="([^"]+)"')
ITEM_LINK = re.compile(r'href="(/items/[0-9a-fA-F-]{36})"')
# Sessions after which a visitor comes back with an empty cache.
NEW_VISITOR_CHANCE = 0.2


PHOTO_KEY = re.compile(r"photos/([0-9a-fA-F-]{36})/[0-9a-fA-F-]{36}/")


def photo_name(url: str) -> str:
    return "/media/{*key}" if url.startswith("/media/") else "photo from S3 (signed GET)"


def fetch_photo(client, url: str, headers: dict | None = None):
    """GETs a photo; a 404 is a success only if its item is gone too (deleted by another
    user since the page was rendered), which one more request checks."""
    with client.get(url, name=photo_name(url), headers=headers or {}, catch_response=True) as r:
        if r.status_code == 404 and (key := PHOTO_KEY.search(url)):
            item = client.get(f"/api/items/{key.group(1)}", name="/api/items/{id}")
            if item.status_code == 404:
                r.success()
                return r
        settle(r, 200, 304)
    return r


class BrowserCache:
    """What one browser keeps: validators of revalidated files, and immutable files."""

    def __init__(self) -> None:
        self.validators: dict = {}
        self.immutable: set = set()

    def clear(self) -> None:
        self.validators.clear()
        self.immutable.clear()

    def request_headers(self, url: str) -> dict:
        etag, modified = self.validators.get(url, (None, None))
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return headers

    def keep(self, url: str, response) -> None:
        cache_control = response.headers.get("cache-control", "")
        if "immutable" in cache_control:
            self.immutable.add(url)
        elif response.status_code == 200:
            self.validators[url] = (response.headers.get("etag"), response.headers.get("last-modified"))


class BrowsingUser(FastHttpUser):
    """Reads pages as a browser does; the most common visitor of the site."""

    weight = 4
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.cache = BrowserCache()

    def page(self, path: str, name: str) -> str:
        # gzip only: the page is read here, and the client decodes gzip but not brotli.
        with self.client.get(path, name=name, headers={"Accept-Encoding": "gzip"},
                             catch_response=True) as r:
            settle(r, 200, 404)
            html = r.text if r.status_code == 200 else ""
        for asset in dict.fromkeys(ASSET.findall(html)):
            self.fetch(asset, "/pkg/{*file}" if asset.startswith("/pkg/") else "/favicon.svg")
        for image in dict.fromkeys(EAGER_IMAGE.findall(html)):
            image = image.replace("&amp;", "&")
            if image not in self.cache.immutable:
                self.cache.keep(image, fetch_photo(self.client, image,
                                                   self.cache.request_headers(image)))
        return html

    def fetch(self, url: str, name: str) -> None:
        headers = {"Accept-Encoding": "br, gzip", **self.cache.request_headers(url)}
        with self.client.get(url, name=name, headers=headers, catch_response=True) as r:
            settle(r, 200, 304)
            self.cache.keep(url, r)

    @task
    def visit(self) -> None:
        if self.rng.random() < NEW_VISITOR_CHANCE:
            self.cache.clear()
        listing = self.page("/", "/")
        links = list(dict.fromkeys(ITEM_LINK.findall(listing)))
        for link in self.rng.sample(links, k=min(len(links), self.rng.randint(1, 3))):
            time.sleep(self.rng.uniform(1, 3))
            self.page(link, "/items/{id}")
