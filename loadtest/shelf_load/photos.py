"""A phone adding photos to an item: the upload grant, the two variants PUT straight to their
signed URLs (the server's `/uploads` on the embedded store, S3 on AWS), the attach, and the
item read back with its new photo, whose thumbnail is then fetched.

The variants are real output of the `imaging` pipeline (what the phone's wasm makes), written
by `loadtest/run.py` into `SHELF_LOAD_VARIANTS`, one folder per photo with `display.jpg`,
`thumb.jpg` and `meta.json` (the pipeline's report: sizes and placeholder).
"""

import base64
import hashlib
import json
import os
import pathlib
import random

from locust import FastHttpUser, between, task

from . import content, ids
from .api_users import CREATED, ITEM, ITEMS, settle
from .browsing import fetch_photo

# An item is deleted and a new one started after this many photos (the limit is 12).
PHOTOS_PER_ITEM = 10


def load_variants() -> list:
    root = pathlib.Path(os.environ.get("SHELF_LOAD_VARIANTS", "target/loadtest/variants"))
    photos = []
    for folder in sorted(p for p in root.iterdir() if (p / "meta.json").exists()):
        meta = json.loads((folder / "meta.json").read_text())
        photos.append({
            "meta": meta,
            "display": (folder / "display.jpg").read_bytes(),
            "thumb": (folder / "thumb.jpg").read_bytes(),
        })
    if not photos:
        raise RuntimeError(f"no processed photos in {root}: run loadtest/run.py")
    return photos


def upload_request(photo: dict) -> dict:
    def spec(variant: str) -> dict:
        meta = photo["meta"][variant]
        digest = base64.b64encode(hashlib.sha256(photo[variant]).digest()).decode()
        return {"bytes": len(photo[variant]), "content_type": "image/jpeg",
                "width": meta["width"], "height": meta["height"], "sha256": digest}
    return {"display": spec("display"), "thumb": spec("thumb"),
            "placeholder": photo["meta"]["placeholder"]}


class PhotoUser(FastHttpUser):
    """Adds photos one after another, as someone cataloguing a shelf with a phone."""

    weight = 1
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.photos = load_variants()
        self.item_id = None
        self.attached = 0

    def start_item(self) -> bool:
        item_id = ids.fresh()
        body = {"id": item_id, "name": content.name(self.rng),
                "description": content.description(self.rng)}
        with self.client.post(ITEMS, json=body, name=ITEMS, catch_response=True) as r:
            settle(r, *CREATED)
            if r.status_code not in CREATED:
                return False
        ids.created_ok(item_id)
        self.item_id, self.attached = item_id, 0
        return True

    def finish_item(self) -> None:
        ids.deleting(self.item_id)
        with self.client.delete(f"{ITEMS}/{self.item_id}", name=ITEM, catch_response=True) as r:
            settle(r, 204, 404)
        self.item_id = None

    @task
    def add_photo(self) -> None:
        if self.item_id is None and not self.start_item():
            return
        photo = self.rng.choice(self.photos)
        item_url = f"{ITEMS}/{self.item_id}"
        with self.client.post(f"{item_url}/photos/uploads", json=upload_request(photo),
                              name=f"{ITEM}/photos/uploads", catch_response=True) as r:
            settle(r, 201, 404)
            if r.status_code != 201:
                self.item_id = None  # deleted by another user: start another
                return
            grant = r.json()
        for variant in ("display", "thumb"):
            target = grant[variant]
            url = target["url"]
            to_shelf = url.startswith("/") or url.startswith(self.host)
            name = "/uploads/{*key}" if to_shelf else f"S3 signed PUT ({variant})"
            with self.client.request(target.get("method", "PUT"), url, data=photo[variant],
                                     headers=target["headers"], name=name,
                                     catch_response=True) as put:
                # An upload does not need its item (a new item's form uploads first), so if
                # another user deleted it since the grant, the attach below answers 404; an
                # instance of a version before that (a rolling deploy) answers the PUT 404.
                settle(put, 200, 404)
                if put.status_code != 200:
                    self.item_id = None
                    return
        with self.client.post(f"{item_url}/photos", json={"upload_id": grant["upload_id"]},
                              name=f"{ITEM}/photos", catch_response=True) as r:
            settle(r, 201, 404)
            if r.status_code != 201:
                self.item_id = None
                return
        with self.client.get(item_url, name=ITEM, catch_response=True) as r:
            settle(r, 200, 404)
            if r.status_code != 200:
                self.item_id = None
                return
            mine = [p for p in r.json()["photos"] if p["id"] == grant["photo_id"]]
            if not mine:
                r.failure("the attached photo is not on the item")
                return
        fetch_photo(self.client, mine[0]["thumb_url"])
        self.attached += 1
        if self.attached >= PHOTOS_PER_ITEM:
            self.finish_item()
