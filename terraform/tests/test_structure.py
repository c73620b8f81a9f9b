"""Structural checks of terraform/: every .tf file parses, and the facts that matter most
hold. No terraform binary or AWS is needed (python-hcl2 only); run with
`python -m unittest discover -s terraform/tests` (part of `make test`)."""

import glob
import os
import re
import subprocess
import tempfile
import unittest

import hcl2

TERRAFORM = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TERRAFORM)
ENVIRONMENTS = ("dev", "staging", "prod")


def unquote(value):
    """python-hcl2 keeps HCL's quotes on strings and block labels; drop them and its markers."""
    if isinstance(value, dict):
        return {
            unquote(k): unquote(v)
            for k, v in value.items()
            if k not in ("__is_block__", "__comments__", "__inline_comments__")
        }
    if isinstance(value, list):
        return [unquote(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1]
    return value


def parse(path):
    with open(path, encoding="utf-8") as f:
        return unquote(hcl2.load(f))


def tf_files():
    return sorted(glob.glob(os.path.join(TERRAFORM, "**", "*.tf"), recursive=True))


class Blocks:
    """Every resource and data source of terraform/, by type."""

    def __init__(self):
        self.resources = []  # (folder, type, name, body)
        self.data = []
        self.modules = []  # (folder, name, body)
        self.files = {}
        for path in tf_files():
            doc = parse(path)
            self.files[path] = doc
            folder = os.path.relpath(os.path.dirname(path), TERRAFORM)
            for call in doc.get("module", []):
                for name, body in call.items():
                    self.modules.append((folder, name, body))
            for kind, into in (("resource", self.resources), ("data", self.data)):
                for block in doc.get(kind, []):
                    for rtype, named in block.items():
                        for name, body in named.items():
                            into.append((folder, rtype, name, body))

    def of(self, rtype, folder=None):
        return [
            (f, n, b)
            for f, t, n, b in self.resources
            if t == rtype and (folder is None or f == folder)
        ]

    def one(self, rtype, name, folder):
        found = [b for f, n, b in self.of(rtype, folder) if n == name]
        assert len(found) == 1, f"{folder}: {rtype}.{name}: {len(found)} found"
        return found[0]

    def file(self, *parts):
        """A parsed .tf file, by its path under terraform/."""
        return self.files[os.path.join(TERRAFORM, *parts)]

    def calls(self, source_suffix):
        """Module calls whose source ends with `source_suffix`: (folder, name, arguments)."""
        return [m for m in self.modules if m[2]["source"].endswith(source_suffix)]

    def policy(self, name, folder):
        found = [
            b
            for f, t, n, b in self.data
            if t == "aws_iam_policy_document" and n == name and f == folder
        ]
        assert len(found) == 1, f"{folder}: policy document {name}: {len(found)} found"
        return found[0]


BLOCKS = Blocks()


def block(body, key):
    """A nested block that must appear exactly once."""
    value = body.get(key)
    assert isinstance(value, list) and len(value) == 1, f"{key}: {value!r}"
    return value[0]


def resolve(folder, value):
    """A literal, or `${var.x}` replaced by the module's default for x."""
    match = re.fullmatch(r"\$\{var\.(\w+)\}", value) if isinstance(value, str) else None
    if not match:
        return value
    for path in glob.glob(os.path.join(TERRAFORM, folder, "*.tf")):
        for variable in BLOCKS.files[path].get("variable", []):
            if match.group(1) in variable:
                return variable[match.group(1)]["default"]
    raise AssertionError(f"{folder}: no default for {value}")


def rust_source(*parts):
    with open(os.path.join(REPO, *parts), encoding="utf-8") as f:
        return f.read()


class Parsing(unittest.TestCase):
    def test_every_file_parses_and_there_are_all_modules(self):
        self.assertGreater(len(BLOCKS.files), 20)
        for module in ("network", "data", "app", "cdn", "observability", "ci", "stack"):
            self.assertTrue(
                glob.glob(os.path.join(TERRAFORM, "modules", module, "*.tf")), module
            )

    def test_every_variable_has_a_type(self):
        for path, doc in BLOCKS.files.items():
            for variable in doc.get("variable", []):
                for name, body in variable.items():
                    self.assertIn("type", body, f"{path}: variable {name}")


class Environments(unittest.TestCase):
    def test_each_environment_has_remote_state_with_locking_and_its_own_key(self):
        for env in ENVIRONMENTS:
            main = BLOCKS.file("envs", env, "main.tf")
            backend = main["terraform"][0]["backend"][0]["s3"]
            self.assertEqual(backend["key"], f"shelf/{env}/terraform.tfstate")
            self.assertIs(backend["encrypt"], True)
            self.assertTrue(backend["dynamodb_table"])
            stack = main["module"][0]["shelf"]
            self.assertEqual(stack["source"], "../../modules/stack")
            self.assertEqual(stack["environment"], env)
            self.assertIs(stack["deletion_protection"], env == "prod", env)
            self.assertTrue(
                os.path.exists(os.path.join(TERRAFORM, "envs", env, "terraform.tfvars"))
            )

    def test_the_state_bucket_and_lock_table_are_bootstrapped(self):
        locks = BLOCKS.one("aws_dynamodb_table", "locks", "bootstrap")
        self.assertEqual(locks["hash_key"], "LockID")
        env_main = BLOCKS.file("envs", "prod", "main.tf")
        self.assertEqual(
            env_main["terraform"][0]["backend"][0]["s3"]["dynamodb_table"], locks["name"]
        )
        state = [m for m in BLOCKS.calls("/private_bucket") if m[0] == "bootstrap"]
        self.assertEqual([m[1] for m in state], ["state"])
        self.assertEqual(state[0][2]["kms_key_arn"], "${aws_kms_key.state.arn}")
        self.assertNotIn("force_destroy", state[0][2], "state is never destroyed with its bucket")

    def test_names_carry_the_environment_prefix(self):
        stack = BLOCKS.file("modules", "stack", "main.tf")
        self.assertEqual(stack["locals"][0]["name"], "shelf-${var.environment}")
        checked = 0
        for folder, rtype, name, body in BLOCKS.resources:
            if not folder.startswith("modules/") or rtype in NAMELESS_NAMES:
                continue
            keys = ["name", "alarm_name", "dashboard_name"]
            if rtype == "aws_s3_bucket":
                keys.append("bucket")
            for key in keys:
                value = body.get(key)
                if isinstance(value, str):
                    checked += 1
                    self.assertIn("${var.name}", value, f"{rtype}.{name}.{key}")
        self.assertGreater(checked, 30)


# Resources whose `name` is not an AWS resource name (a rule's label, a policy's inline name).
NAMELESS_NAMES = {"aws_iam_role_policy", "aws_s3_bucket_metric"}


class Instances(unittest.TestCase):
    def setUp(self):
        self.templates = BLOCKS.of("aws_launch_template")
        self.assertTrue(self.templates)

    def test_imdsv2_only_encrypted_disk_no_ssh_key_no_public_address(self):
        for folder, name, lt in self.templates:
            metadata = block(lt, "metadata_options")
            self.assertEqual(metadata["http_tokens"], "required", name)
            self.assertEqual(metadata["http_endpoint"], "enabled", name)
            self.assertEqual(metadata["http_put_response_hop_limit"], 1, name)
            self.assertNotIn("key_name", lt, "no SSH key pair")
            for device in lt["block_device_mappings"]:
                self.assertIs(block(device, "ebs")["encrypted"], True)
            self.assertIs(block(lt, "network_interfaces")["associate_public_ip_address"], False)

    def test_user_data_renders_to_valid_bash(self):
        with open(os.path.join(TERRAFORM, "modules", "app", "user_data.sh.tftpl")) as f:
            template = f.read()
        instances = BLOCKS.file("modules", "app", "instances.tf")
        call = instances["locals"][0]["user_data"]
        passed = set(re.findall(r"[{,] (\w+) = ", call))
        used = set(re.findall(r"(?<!\$)\$\{(\w+)\}", template))
        self.assertTrue(used)
        rendered = re.sub(r"(?<!\$)\$\{(\w+)\}", lambda m: f"TEMPLATE_{m.group(1)}", template)
        rendered = rendered.replace("$${", "${")
        with tempfile.NamedTemporaryFile("w", suffix=".sh") as script:
            script.write(rendered)
            script.flush()
            checked = subprocess.run(["bash", "-n", script.name], capture_output=True, text=True)
        self.assertEqual(checked.returncode, 0, checked.stderr)
        self.assertFalse(re.search(r"%\{", template), "no template directives to render")
        self.assertEqual(used - passed, set(), "every template variable is passed")

    def test_user_data_verifies_the_artifact_and_installs_the_unit(self):
        with open(os.path.join(TERRAFORM, "modules", "app", "user_data.sh.tftpl")) as f:
            script = f.read()
        self.assertIn("set -euo pipefail", script)
        self.assertRegex(script, r"sha256sum --check")
        self.assertLess(script.index("sha256sum --check"), script.index("tar -xzf"),
                        "the checksum is verified before anything is unpacked")
        self.assertIn("systemctl enable --now shelf", script)
        self.assertIn("amazon-cloudwatch-agent", script)
        self.assertIn("--with-decryption", script)
        self.assertNotRegex(script, r"set -x", "the secret would be echoed")

    def test_asg_rolls_with_full_capacity_across_both_azs(self):
        asg = BLOCKS.one("aws_autoscaling_group", "app", "modules/app")
        self.assertEqual(asg["health_check_type"], "ELB")
        self.assertEqual(asg["vpc_zone_identifier"], "${var.private_subnet_ids}")
        refresh = block(asg, "instance_refresh")
        self.assertEqual(refresh["strategy"], "Rolling")
        preferences = block(refresh, "preferences")
        self.assertEqual(preferences["min_healthy_percentage"], 100)
        self.assertIs(preferences["auto_rollback"], True)
        # Sizes have their defaults (and limits) in one place, the stack every env calls.
        variables = BLOCKS.file("modules", "stack", "variables.tf")
        defaults = {n: b.get("default") for v in variables["variable"] for n, b in v.items()}
        self.assertGreaterEqual(defaults["min_size"], 2)
        self.assertEqual(asg["min_size"], "${var.min_size}")
        policies = {
            block(block(p, "target_tracking_configuration"), "predefined_metric_specification")[
                "predefined_metric_type"
            ]: block(p, "target_tracking_configuration")["target_value"]
            for _, _, p in BLOCKS.of("aws_autoscaling_policy")
        }
        self.assertEqual(policies["ASGAverageCPUUtilization"], 70)
        self.assertIn("ALBRequestCountPerTarget", policies)


class Network(unittest.TestCase):
    def test_no_ssh_and_no_open_ingress_but_the_albs_80_and_443(self):
        rules = BLOCKS.of("aws_vpc_security_group_ingress_rule")
        self.assertTrue(rules)
        self.assertFalse(BLOCKS.of("aws_security_group_rule"), "one style of rule only")
        for _, _, sg in BLOCKS.of("aws_security_group"):
            self.assertNotIn("ingress", sg, "rules are separate resources")
        open_ports = set()
        for folder, name, rule in rules:
            low = resolve(folder, rule.get("from_port", 0))
            high = resolve(folder, rule.get("to_port", 65535))
            self.assertFalse(low <= 22 <= high, f"{name}: SSH")
            if rule.get("cidr_ipv4") == "0.0.0.0/0" or rule.get("cidr_ipv6") == "::/0":
                self.assertEqual(rule["security_group_id"], "${aws_security_group.alb.id}", name)
                self.assertEqual(low, high, name)
                open_ports.add(low)
        self.assertEqual(open_ports, {80, 443})

    def test_gateway_endpoints_and_no_nat(self):
        endpoints = {
            b["service_name"].rsplit(".", 1)[1]: b for _, _, b in BLOCKS.of("aws_vpc_endpoint")
            if b.get("vpc_endpoint_type") == "Gateway"
        }
        self.assertEqual(set(endpoints), {"s3", "dynamodb"})
        self.assertFalse(BLOCKS.of("aws_nat_gateway"))
        self.assertFalse(BLOCKS.of("aws_eip"))

    def test_two_azs_public_and_private(self):
        for tier in ("public", "private"):
            subnet = BLOCKS.one("aws_subnet", tier, "modules/network")
            self.assertEqual(subnet["count"], "${length(local.azs)}")
        self.assertNotIn("map_public_ip_on_launch", BLOCKS.one("aws_subnet", "private", "modules/network"))


class LoadBalancer(unittest.TestCase):
    def test_health_check_and_drain(self):
        tg = BLOCKS.one("aws_lb_target_group", "app", "modules/app")
        self.assertEqual(block(tg, "health_check")["path"], "/readyz")
        self.assertEqual(tg["deregistration_delay"], "${var.drain_seconds}")
        instances = BLOCKS.file("modules", "app", "instances.tf")
        self.assertIn("SHELF_DRAIN_SECS=${var.drain_seconds}", str(instances))

    def test_https_with_a_certificate_and_http_only_redirects(self):
        https = BLOCKS.one("aws_lb_listener", "https", "modules/app")
        self.assertEqual((https["port"], https["protocol"]), (443, "HTTPS"))
        self.assertEqual(https["certificate_arn"], "${var.certificate_arn}")
        self.assertRegex(https["ssl_policy"], r"TLS13")
        http = BLOCKS.one("aws_lb_listener", "http_redirect", "modules/app")
        action = block(http, "default_action")
        self.assertEqual(action["type"], "redirect")
        self.assertEqual(block(action, "redirect")["protocol"], "HTTPS")

    def test_access_logs_and_metrics_not_public(self):
        alb = BLOCKS.one("aws_lb", "main", "modules/app")
        self.assertIs(block(alb, "access_logs")["enabled"], True)
        self.assertIs(alb["drop_invalid_header_fields"], True)
        rule = BLOCKS.one("aws_lb_listener_rule", "hide_metrics", "modules/app")
        self.assertIn("/metrics", block(block(rule, "condition"), "path_pattern")["values"])


class Data(unittest.TestCase):
    def test_items_table_is_what_the_app_expects(self):
        table = BLOCKS.one("aws_dynamodb_table", "items", "modules/data")
        self.assertEqual(table["billing_mode"], "PAY_PER_REQUEST")
        self.assertEqual(table["hash_key"], "id")
        indexes = {
            gsi["name"]: (gsi["hash_key"], gsi["range_key"], gsi["projection_type"],
                          gsi.get("non_key_attributes"))
            for gsi in table["global_secondary_index"]
        }
        self.assertEqual(indexes, {
            "newest_first": ("list_pk", "list_sk", "ALL", None),
            "search_digest": ("list_pk", "list_sk", "INCLUDE",
                              ["name", "description", "tags", "location"]),
        })
        attributes = {a["name"]: a["type"] for a in table["attribute"]}
        self.assertEqual(attributes, {"id": "S", "list_pk": "S", "list_sk": "S"})
        self.assertEqual(table["deletion_protection_enabled"], "${var.deletion_protection}")
        # The same names in the app's own table definition.
        source = rust_source("server", "src", "store", "dynamodb", "record.rs")
        for constant, name in (("ID", "id"), ("LIST_INDEX", "newest_first"),
                               ("LIST_PARTITION", "list_pk"), ("LIST_SORT", "list_sk"),
                               ("SEARCH_INDEX", "search_digest"), ("NAME", "name"),
                               ("DESCRIPTION", "description"), ("TAGS", "tags"),
                               ("LOCATION", "location")):
            self.assertIn(f'pub const {constant}: &str = "{name}";', source)
        self.assertIn(
            "pub const SEARCH_PROJECTED: [&str; 4] = [NAME, DESCRIPTION, TAGS, LOCATION];", source)

    def test_accounts_table_is_what_the_app_expects(self):
        table = BLOCKS.one("aws_dynamodb_table", "accounts", "modules/data")
        self.assertEqual(table["billing_mode"], "PAY_PER_REQUEST")
        self.assertEqual((table["hash_key"], table["range_key"]), ("pk", "sk"))
        attributes = {a["name"]: a["type"] for a in table["attribute"]}
        self.assertEqual(attributes, {"pk": "S", "sk": "S"})
        ttl = block(table, "ttl")
        self.assertEqual((ttl["attribute_name"], ttl["enabled"]), ("ttl", True))
        source = rust_source("server", "src", "store", "dynamodb", "accounts", "keys.rs")
        for constant, name in (("PK", "pk"), ("SK", "sk"), ("TTL", "ttl")):
            self.assertIn(f'pub const {constant}: &str = "{name}";', source)

    def test_every_table_has_pitr_and_encryption(self):
        tables = BLOCKS.of("aws_dynamodb_table")
        self.assertGreaterEqual(len(tables), 2)
        for _, name, table in tables:
            self.assertIs(block(table, "point_in_time_recovery")["enabled"], True, name)
            self.assertIs(block(table, "server_side_encryption")["enabled"], True, name)

    def test_unattached_uploads_expire_under_the_apps_prefix(self):
        (photos,) = [m[2] for m in BLOCKS.calls("/private_bucket") if m[1] == "photos"]
        rules = {r["id"]: r for r in photos["lifecycle_rules"]}
        uploads = rules["expire-unattached-uploads"]
        self.assertEqual(uploads["prefix"], "uploads/")
        self.assertLessEqual(uploads["expire_days"], 1)
        self.assertEqual(rules["expire-noncurrent-versions"]["noncurrent_days"],
                         "${var.noncurrent_days}")
        self.assertNotIn("prefix", rules["expire-noncurrent-versions"], "the whole bucket")
        # Every bucket aborts incomplete multipart uploads (a fixed rule of the module).
        lifecycle = BLOCKS.one("aws_s3_bucket_lifecycle_configuration", "this",
                               "modules/private_bucket")
        abort = [r for r in lifecycle["rule"] if "abort_incomplete_multipart_upload" in r]
        self.assertEqual(block(abort[0], "abort_incomplete_multipart_upload")[
            "days_after_initiation"], 1)
        self.assertEqual(block(abort[0], "filter"), {})
        self.assertIn('pub const UPLOADS_PREFIX: &str = "uploads";',
                      rust_source("server", "src", "store", "s3", "mod.rs"))

    def test_cors_allows_put_from_the_app_only_and_exposes_etag(self):
        cors_config = BLOCKS.one("aws_s3_bucket_cors_configuration", "photos", "modules/data")
        self.assertEqual(cors_config["bucket"], "${module.photos.id}")
        cors = block(cors_config, "cors_rule")
        self.assertEqual(cors["allowed_methods"], ["PUT"])
        self.assertEqual(cors["allowed_origins"], ["${var.app_origin}"])
        self.assertEqual(cors["expose_headers"], ["ETag"])

    def test_every_bucket_is_private_encrypted_versioned_and_tls_only(self):
        buckets = BLOCKS.of("aws_s3_bucket")
        self.assertEqual([(f, n) for f, n, _ in buckets], [("modules/private_bucket", "this")],
                         "every bucket is made by the private_bucket module")
        calls = sorted(m[1] for m in BLOCKS.calls("/private_bucket"))
        self.assertEqual(calls, ["artifacts", "logs", "photos", "state"])
        folder = "modules/private_bucket"
        access = BLOCKS.one("aws_s3_bucket_public_access_block", "this", folder)
        for key in ("block_public_acls", "block_public_policy", "ignore_public_acls",
                    "restrict_public_buckets"):
            self.assertIs(access[key], True, key)
        ownership = block(BLOCKS.one("aws_s3_bucket_ownership_controls", "this", folder), "rule")
        self.assertEqual(ownership["object_ownership"], "BucketOwnerEnforced")
        sse = BLOCKS.one("aws_s3_bucket_server_side_encryption_configuration", "this", folder)
        algorithm = block(block(sse, "rule"), "apply_server_side_encryption_by_default")
        self.assertIn('"AES256"', algorithm["sse_algorithm"])
        versioning = BLOCKS.one("aws_s3_bucket_versioning", "this", folder)
        self.assertEqual(block(versioning, "versioning_configuration")["status"], "Enabled")
        self.assertEqual(BLOCKS.one("aws_s3_bucket_policy", "this", folder)["policy"],
                         "${data.aws_iam_policy_document.this.json}")
        (deny,) = [s for s in BLOCKS.policy("this", folder)["statement"]
                   if s.get("effect") == "Deny"]
        condition = block(deny, "condition")
        self.assertEqual((condition["variable"], condition["values"]),
                         ("aws:SecureTransport", ["false"]))
        self.assertEqual(deny["principals"][0]["identifiers"], ["*"])
        # Only the log bucket (and the state bucket, which precedes it) skip access logs.
        unlogged = sorted(m[1] for m in BLOCKS.calls("/private_bucket")
                          if "log_bucket_id" not in m[2])
        self.assertEqual(unlogged, ["logs", "state"])

class Cdn(unittest.TestCase):
    def test_origin_access_control_not_identity(self):
        self.assertFalse(BLOCKS.of("aws_cloudfront_origin_access_identity"))
        oac = BLOCKS.one("aws_cloudfront_origin_access_control", "photos", "modules/cdn")
        self.assertEqual((oac["origin_access_control_origin_type"], oac["signing_behavior"]),
                         ("s3", "always"))
        distribution = BLOCKS.one("aws_cloudfront_distribution", "photos", "modules/cdn")
        origin = block(distribution, "origin")
        self.assertEqual(origin["origin_access_control_id"],
                         "${aws_cloudfront_origin_access_control.photos.id}")
        self.assertNotIn("s3_origin_config", origin)
        behaviour = block(distribution, "default_cache_behavior")
        self.assertEqual(behaviour["viewer_protocol_policy"], "https-only")
        self.assertIs(behaviour["compress"], True)
        self.assertEqual(behaviour["allowed_methods"], ["GET", "HEAD"])
        cache = BLOCKS.one("aws_cloudfront_cache_policy", "immutable", "modules/cdn")
        self.assertGreaterEqual(cache["default_ttl"], 31536000)

    def test_the_bucket_lets_only_this_distribution_read_only_photos(self):
        policy = BLOCKS.policy("cloudfront_reads_photos", "modules/data")
        (reads,) = policy["statement"]
        self.assertEqual(reads["actions"], ["s3:GetObject"])
        self.assertEqual(reads["resources"], ["${module.photos.arn}/photos/*"])
        self.assertEqual(block(reads, "condition")["variable"], "AWS:SourceArn")

    def test_media_base_url_is_the_distribution(self):
        (app,) = [body for folder, name, body in BLOCKS.modules
                  if folder == "modules/stack" and name == "app"]
        self.assertEqual(app["media_base_url"], "https://${module.cdn.domain_name}")


# Allowed on "*" only under a condition (a namespace, a launch template); reads are allowed.
CONDITIONED = {"cloudwatch:PutMetricData", "ec2:RunInstances"}
DESCRIBE_ONLY = re.compile(r"^[a-z0-9]+:(Describe|List|Get)[A-Za-z]*$")


class Iam(unittest.TestCase):
    def assert_least_privilege(self, document):
        for statement in document["statement"]:
            sid = statement.get("sid")
            self.assertNotEqual(statement.get("effect"), "Deny", sid)
            for action in statement["actions"]:
                self.assertNotIn("*", action, f"{sid}: {action}")
            if "*" in statement["resources"]:
                unconditioned = [
                    a for a in statement["actions"]
                    if not DESCRIBE_ONLY.match(a)
                    and not (a in CONDITIONED and "condition" in statement)
                ]
                self.assertEqual(unconditioned, [], f"{sid}: writes on every resource")
            else:
                for resource in statement["resources"]:
                    self.assertRegex(resource, r"^\$\{(var|module\.[a-z0-9_]+|aws_[a-z0-9_]+\.[a-z0-9_]+)\.[a-z0-9_]+\}",
                                     f"{sid}: a named resource")

    def test_instance_role_touches_named_resources_only(self):
        document = BLOCKS.policy("app", "modules/app")
        self.assert_least_privilege(document)
        sids = {s["sid"]: s for s in document["statement"]}
        self.assertEqual(sids["PhotoObjects"]["resources"],
                         ["${var.photos_bucket_arn}/uploads/*", "${var.photos_bucket_arn}/photos/*"])
        self.assertEqual(sids["ReleaseArtifacts"]["resources"],
                         ["${var.artifact_bucket_arn}/releases/*"])
        self.assertNotIn("dynamodb:Scan", str(document))
        self.assertEqual(
            BLOCKS.one("aws_iam_role_policy_attachment", "ssm_core", "modules/app")["policy_arn"],
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        )

    def test_deploy_role_is_github_oidc_for_this_repository_only(self):
        self.assert_least_privilege(BLOCKS.policy("deploy", "modules/ci"))
        trust = BLOCKS.policy("assume_from_github", "modules/ci")["statement"][0]
        self.assertEqual(trust["actions"], ["sts:AssumeRoleWithWebIdentity"])
        conditions = {c["variable"]: c for c in trust["condition"]}
        self.assertEqual(conditions["token.actions.githubusercontent.com:aud"]["values"],
                         ["sts.amazonaws.com"])
        subjects = conditions["token.actions.githubusercontent.com:sub"]
        self.assertEqual(subjects["test"], "StringEquals", "no wildcards in the subject")
        self.assertEqual(sorted(subjects["values"]), [
            "repo:${var.github_repository}:environment:${var.environment}",
            "repo:${var.github_repository}:ref:refs/heads/main",
        ])
        self.assertFalse(BLOCKS.of("aws_iam_access_key"), "no long-lived keys")
        self.assertFalse(BLOCKS.of("aws_iam_user"))


class Observability(unittest.TestCase):
    def test_alarms_cover_what_the_issue_lists(self):
        alarms = {n: a for _, n, a in BLOCKS.of("aws_cloudwatch_metric_alarm")}
        expected = {"alb_5xx_rate", "target_p95_latency", "unhealthy_hosts", "dynamodb_throttles",
                    "dynamodb_system_errors", "cloudfront_5xx", "s3_errors"}
        self.assertEqual(expected - set(alarms), set())
        for name, alarm in alarms.items():
            self.assertTrue(alarm.get("alarm_actions"), f"{name} notifies")
        self.assertEqual(alarms["target_p95_latency"]["extended_statistic"], "p95")
        group = BLOCKS.one("aws_cloudwatch_log_group", "app", "modules/observability")
        self.assertEqual(group["retention_in_days"], "${var.log_retention_days}")
        self.assertTrue(BLOCKS.of("aws_cloudwatch_dashboard"))


if __name__ == "__main__":
    unittest.main()
