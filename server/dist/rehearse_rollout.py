"""A rolling deploy rehearsed on 127.0.0.1, the way the ASG's instance refresh does it behind
the ALB: two instances of the release binary share one store (the AWS backend on moto_server)
behind HAProxy, which health-checks /readyz like the ALB. Under load, each instance is
replaced in turn: the new one starts and must be in service before the old one gets SIGTERM,
drains (/readyz fails, HAProxy takes it out) and exits. Not one request may fail.

Usage (through `make rollout-rehearsal`, inside server/tests/with-aws-servers.sh):
    python rehearse_rollout.py target/dist/shelf-<release>-<target>.tar.gz [--drain-secs N]
`--drain-secs 0` shows what the drain is for: the same rollout then fails requests.
"""

import argparse
import csv
import hashlib
import io
import json
import os
import socket
import subprocess
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request

WORKERS = 6
# Bounds on the load, whatever happens: requests per worker and seconds in all.
MAX_REQUESTS_PER_WORKER = 50_000
MAX_LOAD_SECONDS = 180
# HAProxy's health check: every 500 ms, out after 2 failures, in after 2 successes.
CHECK_INTER_MS = 500
STEADY_SECONDS = 2


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unpack(tarball, into):
    """Checks the tarball against its .sha256 and unpacks it, as an instance's boot does."""
    expected = open(tarball + ".sha256").read().split()[0]
    digest = hashlib.sha256(open(tarball, "rb").read()).hexdigest()
    assert digest == expected, f"{tarball}: checksum mismatch"
    with tarfile.open(tarball) as archive:
        archive.extractall(into, filter="data")
    (folder,) = os.listdir(into)
    return os.path.join(into, folder)


class Instance:
    """One `shelf` of a release folder on a port; its log goes to a file."""

    def __init__(self, name, release, port, env, logs):
        self.name, self.port = name, port
        self.log = open(os.path.join(logs, f"{name}.log"), "w")
        self.process = subprocess.Popen(
            [os.path.join(release, "shelf"), "--site-root", os.path.join(release, "site")],
            # Several instances on one host: each its own metrics port too.
            env={**env, "LEPTOS_SITE_ADDR": f"127.0.0.1:{port}",
                 "SHELF_METRICS_ADDR": f"127.0.0.1:{free_port()}"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def stop(self, timeout=30):
        """SIGTERM, then waits for the drain and the exit; returns the exit code."""
        self.process.terminate()
        code = self.process.wait(timeout=timeout)
        self.log.close()
        return code


class HaProxy:
    def __init__(self, work, servers):
        self.port, self.stats_port = free_port(), free_port()
        config = os.path.join(work, "haproxy.cfg")
        lines = [
            "global",
            "  maxconn 2000",
            "defaults",
            "  mode http",
            "  timeout connect 2s",
            "  timeout client 30s",
            "  timeout server 30s",
            # No retries: the ALB sends a request to one target once, so must this.
            "  retries 0",
            "frontend app",
            f"  bind 127.0.0.1:{self.port}",
            "  default_backend shelf",
            "backend shelf",
            "  balance roundrobin",
            "  option httpchk GET /readyz",
            "  http-check expect status 200",
            f"  default-server inter {CHECK_INTER_MS}ms fall 2 rise 2",
            *[f"  server {name} 127.0.0.1:{port} check" for name, port in servers],
            "listen stats",
            f"  bind 127.0.0.1:{self.stats_port}",
            "  stats enable",
            "  stats uri /stats",
        ]
        with open(config, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.log = open(os.path.join(work, "haproxy.log"), "w")
        self.process = subprocess.Popen(
            ["haproxy", "-f", config], stdout=self.log, stderr=subprocess.STDOUT
        )

    def servers(self):
        """Server name → (status, sessions served), from HAProxy's own statistics."""
        with urllib.request.urlopen(
            f"http://127.0.0.1:{self.stats_port}/stats;csv", timeout=5
        ) as response:
            text = response.read().decode().lstrip("# ")
        return {
            row["svname"]: (row["status"], int(row["stot"] or 0))
            for row in csv.DictReader(io.StringIO(text))
            if row["pxname"] == "shelf" and row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def wait_for(self, name, status, timeout=30):
        """Until HAProxy's checks settle on `status` for `name` (not "UP 1/2", going down)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.servers().get(name, ("",))[0] == status:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"HAProxy never saw {name} {status}: {self.servers()}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


class Load:
    """Workers browsing and editing through HAProxy until stopped; every answer is checked."""

    def __init__(self, base):
        self.base = base
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.ok = 0
        self.failures = []
        self.threads = [
            threading.Thread(target=self.worker, args=(n,), daemon=True) for n in range(WORKERS)
        ]

    def request(self, method, path, body=None, expected=(200,)):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"content-type": "application/json"} if data else {},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        except OSError as error:
            self.fail(f"{method} {path}: {error!r}")
            return None
        if status not in expected:
            self.fail(f"{method} {path}: {status} {payload[:200]!r}")
            return None
        with self.lock:
            self.ok += 1
        return payload

    def fail(self, what):
        with self.lock:
            self.failures.append(what)

    def worker(self, n):
        started = time.monotonic()
        for step in range(MAX_REQUESTS_PER_WORKER):
            if self.stop.is_set() or time.monotonic() - started > MAX_LOAD_SECONDS:
                return
            kind = (step + n) % 4
            if kind == 0:
                self.request("GET", "/")
            elif kind == 1:
                self.request("GET", "/api/items?limit=20")
            else:
                created = self.request(
                    "POST", "/api/items", {"name": f"rollout {n}-{step}"}, expected=(201,)
                )
                if created:
                    item = json.loads(created)["id"]
                    self.request("GET", f"/api/items/{item}")
                    if kind == 3:
                        self.request("DELETE", f"/api/items/{item}", expected=(204,))

    def count(self):
        with self.lock:
            return self.ok + len(self.failures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tarball")
    parser.add_argument("--drain-secs", type=int, default=2,
                        help="SHELF_DRAIN_SECS of the instances (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shelf-rollout-") as work:
        rehearse(args.tarball, args.drain_secs, work)


def rehearse(tarball, drain_secs, work):
    moto = os.environ["SHELF_TEST_MOTO_URL"]
    old = unpack(tarball, os.path.join(work, "old"))
    new = unpack(tarball, os.path.join(work, "new"))
    run = str(os.getpid())
    env = {
        **os.environ,
        "SHELF_STORE": "aws",
        "SHELF_DYNAMODB_TABLE": f"rollout-items-{run}",
        "SHELF_DYNAMODB_ACCOUNTS_TABLE": f"rollout-accounts-{run}",
        "SHELF_ANONYMOUS_ACCESS": "edit",
        # The load comes from 127.0.0.1 (through HAProxy): one client, as the limits see it.
        "SHELF_WRITES_PER_MINUTE": "1000000",
        "SHELF_PENDING_UPLOADS_PER_CLIENT": "1000000",
        "SHELF_S3_BUCKET": f"rollout-photos-{run}",
        "SHELF_UPLOAD_SECRET": "the rollout rehearsal's shared upload secret",
        "SHELF_DRAIN_SECS": str(drain_secs),
        "SHELF_LOG_FORMAT": "json",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "rehearsal",
        "AWS_SECRET_ACCESS_KEY": "rehearsal-secret",
        "AWS_ENDPOINT_URL": moto,
        "SHELF_DATA_DIR": os.path.join(work, "data"),
    }
    subprocess.run([os.path.join(old, "shelf"), "create-table"], env=env, check=True,
                   stdout=subprocess.DEVNULL)

    ports = {name: free_port() for name in ("a", "b", "a2", "b2")}
    instances = {
        "a": Instance("a", old, ports["a"], env, work),
        "b": Instance("b", old, ports["b"], env, work),
    }
    proxy = HaProxy(work, list(ports.items()))
    try:
        # HAProxy starts every server as up; the spare slots must be seen down before load.
        for name in ("a", "b"):
            proxy.wait_for(name, "UP")
        for name in ("a2", "b2"):
            proxy.wait_for(name, "DOWN")
        load = Load(f"http://127.0.0.1:{proxy.port}")
        for thread in load.threads:
            thread.start()
        time.sleep(STEADY_SECONDS)

        rollout_started, before = time.monotonic(), load.count()
        for old_name, new_name in (("a", "a2"), ("b", "b2")):
            instances[new_name] = Instance(new_name, new, ports[new_name], env, work)
            proxy.wait_for(new_name, "UP")
            code = instances.pop(old_name).stop()
            assert code == 0, f"{old_name} exited with {code} after SIGTERM"
            proxy.wait_for(old_name, "DOWN")
            print(f"replaced {old_name} by {new_name} at {time.monotonic() - rollout_started:.1f} s")
        rollout_seconds = time.monotonic() - rollout_started
        during = load.count() - before

        time.sleep(STEADY_SECONDS)
        load.stop.set()
        for thread in load.threads:
            thread.join(timeout=30)
        served = proxy.servers()
        subprocess.run(
            ["bash", os.path.join(os.path.dirname(__file__), "smoke.sh"),
             f"http://127.0.0.1:{proxy.port}", "rollout rehearsal"],
            check=True,
        )
    finally:
        proxy.stop()
        for instance in instances.values():
            instance.stop()

    print(
        f"rollout: {during} requests during the {rollout_seconds:.1f} s rollout, "
        f"{load.count()} in all, {len(load.failures)} failed; "
        "per instance: " + ", ".join(f"{n} {s[1]}" for n, s in sorted(served.items()))
    )
    for what in load.failures[:20]:
        print(f"  failed: {what}")
    assert not load.failures, f"{len(load.failures)} requests failed during the rollout"
    assert during > 0, "no load ran during the rollout"
    for name in ("a2", "b2"):
        assert served[name][1] > 0, f"the new instance {name} served nothing"


if __name__ == "__main__":
    main()
