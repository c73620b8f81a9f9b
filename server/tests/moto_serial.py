"""moto_server answering one request at a time: `python moto_serial.py HOST PORT`.

moto checks a conditional write's condition and then applies it as two steps, so under
moto_server's threads two writers conditioned on the same version can both succeed (seen
here: a lost update in the conformance suite's concurrent-writers test). DynamoDB applies
every conditional write atomically; serving requests one by one gives the tests that same
guarantee. Otherwise this is moto_server's own `main` (moto/server.py), without threads.
"""

import os
import sys

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple

host, port = sys.argv[1], int(sys.argv[2])
# moto builds some URLs (pre-signed S3 ones) from the port it is told it runs on.
os.environ.setdefault("MOTO_PORT", str(port))
app = DomainDispatcherApplication(create_backend_app)
run_simple(host, port, app, threaded=False, request_handler=MotoRequestHandler)
