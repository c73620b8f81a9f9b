"""Shelf's release binary on 127.0.0.1, on the embedded store or on the AWS backend (moto for
DynamoDB, s3s-fs for S3: started by server/tests/with-aws-servers.sh, which passes their URLs
in SHELF_TEST_MOTO_URL and SHELF_TEST_S3_URL)."""

import json
import os
import pathlib
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "shelf"
SITE = ROOT / "target" / "site"
# s3s-fs's keys, as with-aws-servers.sh starts it (moto takes any).
AWS_KEYS = {"AWS_ACCESS_KEY_ID": "shelf-test", "AWS_SECRET_ACCESS_KEY": "shelf-test-secret-key"}


BACKENDS = ["embedded", "aws"]


def backend_option(parser, default: list = BACKENDS) -> None:
    """`--backend embedded aws`: which stores to run on, each in turn."""
    parser.add_argument("--backend", nargs="+", choices=BACKENDS, default=default)


def output_folder() -> pathlib.Path:
    """target/loadtest, where every script writes its reports and the servers' logs."""
    out = ROOT / "target" / "loadtest"
    out.mkdir(parents=True, exist_ok=True)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5, headers: dict | None = None) -> tuple:
    """(status, body) of a GET; (0, error) if nothing answered."""
    try:
        request = urllib.request.Request(url, headers=headers or {})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:
        return 0, str(error).encode()


def wait_for(url: str, seconds: float = 30) -> None:
    """Until `url` answers 200."""
    deadline = time.monotonic() + seconds
    while get(url, timeout=2)[0] != 200:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer")
        time.sleep(0.1)


# What every request of the load's scripts sends: an API token or the owner's session cookie
# when the run is signed in (`run.py --auth token|session`), nothing as the old clients do.
AUTH: dict = {}


def post_json(url: str, body: dict, timeout: float = 10) -> tuple:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **AUTH})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# The owner a signed-in run makes at the first run.
LOAD_EMAIL, LOAD_PASSWORD = "load@example.org", "load test passphrase"


def first_run(base: str) -> str:
    """Runs the first run on a fresh, closed Shelf, as a person would; the owner's session
    cookie (`name=value`)."""
    opener = urllib.request.build_opener(NoRedirect)
    form = urllib.parse.urlencode({"email": LOAD_EMAIL, "collection": "Load",
                                   "password": LOAD_PASSWORD}).encode()
    try:
        opener.open(urllib.request.Request(f"{base}/setup", data=form), timeout=10)
        raise RuntimeError("the first run did not redirect")
    except urllib.error.HTTPError as answer:
        assert answer.code == 303, f"first run: {answer.code}"
        return answer.headers["Set-Cookie"].split(";")[0]


def api_token(base: str) -> str:
    """The first run, then a read-write API token made on the account page; the token."""
    cookie = first_run(base)
    page = account_page(base, cookie)
    collection = page.split('<select id="collection" name="collection"><option value="', 1)[1]
    form_token = page.split("form_token=", 1)[1].split('"', 1)[0]
    form = urllib.parse.urlencode({"name": "load test", "collection": collection.split('"', 1)[0],
                                   "scope": "read_write", "expires_days": "1"}).encode()
    request = urllib.request.Request(f"{base}/account/tokens?form_token={form_token}", data=form,
                                     headers={"Cookie": cookie})
    page = urllib.request.urlopen(request, timeout=10).read().decode()
    return page.split('<code class="token">', 1)[1].split("<", 1)[0]


def account_page(base: str, cookie: str) -> str:
    """The account page, whose token form offers the user's collections and whose forms carry
    the session's form token."""
    request = urllib.request.Request(f"{base}/account", headers={"Cookie": cookie})
    return urllib.request.urlopen(request, timeout=10).read().decode()


class Shelf:
    """One `shelf` process; its log is `log_path`. `backend`: "embedded" or "aws"."""

    def __init__(self, backend: str, work: pathlib.Path, log_path: pathlib.Path,
                 extra_env: dict | None = None) -> None:
        self.backend = backend
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # /metrics has a listener of its own.
        self.metrics_base = f"http://127.0.0.1:{free_port()}"
        self.data_dir = work / "data"
        env = {
            **os.environ,
            "LEPTOS_SITE_ADDR": f"127.0.0.1:{self.port}",
            "SHELF_METRICS_ADDR": self.metrics_base.removeprefix("http://"),
            "LEPTOS_SITE_ROOT": str(SITE),
            "SHELF_DATA_DIR": str(self.data_dir),
            "SHELF_LOG_FORMAT": "json",
            "RUST_LOG": "warn",
            # The load users are the old service's clients: no credentials.
            "SHELF_ANONYMOUS_ACCESS": "edit",
            # Every simulated user comes from 127.0.0.1: one client, as the limits see it.
            "SHELF_WRITES_PER_MINUTE": "1000000",
            "SHELF_PENDING_UPLOADS_PER_CLIENT": "1000000",
            **(extra_env or {}),
        }
        if backend == "aws":
            run = secrets.token_hex(4)
            env.update({
                "SHELF_STORE": "aws",
                "SHELF_DYNAMODB_TABLE": f"load-items-{run}",
                "SHELF_DYNAMODB_ACCOUNTS_TABLE": f"load-accounts-{run}",
                "SHELF_S3_BUCKET": f"load-photos-{run}",
                "SHELF_UPLOAD_SECRET": secrets.token_urlsafe(32),
                "AWS_REGION": "us-east-1",
                "AWS_ENDPOINT_URL_DYNAMODB": os.environ["SHELF_TEST_MOTO_URL"],
                "AWS_ENDPOINT_URL_S3": os.environ["SHELF_TEST_S3_URL"],
                **AWS_KEYS,
            })
            subprocess.run([str(BINARY), "create-table"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
        self.log = open(log_path, "w")
        self.process = subprocess.Popen([str(BINARY)], env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self) -> None:
        try:
            wait_for(f"{self.base}/readyz")
        except RuntimeError:
            raise RuntimeError(f"shelf ({self.backend}) did not become ready; "
                               f"see {self.log.name}") from None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
