"""The GitHub Actions workflows that test and ship Shelf: actions pinned by commit, no
expression inside a `run:` script (inputs reach scripts through env), OIDC instead of keys,
and the deploy chain dev → staging → prod after CI."""

import glob
import os
import re
import unittest

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKFLOWS = os.path.join(REPO, ".github", "workflows")


def load(name):
    with open(os.path.join(WORKFLOWS, name), encoding="utf-8") as f:
        # YAML 1.1 reads the key `on` as True.
        return {("on" if k is True else k): v for k, v in yaml.safe_load(f).items()}


def steps():
    for path in sorted(glob.glob(os.path.join(WORKFLOWS, "*.yml"))):
        workflow = load(os.path.basename(path))
        for job_name, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                yield os.path.basename(path), job_name, step


class Workflows(unittest.TestCase):
    def test_actions_are_pinned_by_commit(self):
        pinned = 0
        for name, job, step in steps():
            if "uses" in step:
                self.assertRegex(step["uses"], r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$", f"{name} {job}")
                pinned += 1
        self.assertGreater(pinned, 5)

    def test_no_expression_is_interpolated_into_a_script(self):
        for name, job, step in steps():
            if "run" in step:
                self.assertNotIn("${{", step["run"], f"{name} {job}: {step.get('name')}")

    def test_no_long_lived_keys_and_read_only_by_default(self):
        for path in glob.glob(os.path.join(WORKFLOWS, "*.yml")):
            text = open(path, encoding="utf-8").read()
            self.assertNotRegex(text, r"(?i)aws[-_]?secret[-_]?access[-_]?key|AWS_ACCESS_KEY_ID", path)
            self.assertEqual(load(os.path.basename(path))["permissions"]["contents"], "read", path)

    def test_deploy_runs_after_ci_through_dev_staging_prod(self):
        deploy = load("deploy.yml")
        self.assertEqual(deploy["on"]["workflow_run"]["workflows"], ["ci"])
        self.assertEqual(deploy["on"]["workflow_run"]["branches"], ["main"])
        self.assertIn("release", deploy["on"]["workflow_dispatch"]["inputs"])
        self.assertIn("conclusion == 'success'", deploy["jobs"]["build"]["if"])
        jobs = deploy["jobs"]
        self.assertIn("dev", jobs["staging"]["needs"])
        self.assertIn("staging", jobs["prod"]["needs"])
        for env in ("dev", "staging", "prod"):
            self.assertEqual(jobs[env]["uses"], "./.github/workflows/rollout.yml")
            self.assertEqual(jobs[env]["with"]["environment"], env)
        self.assertFalse(deploy["concurrency"]["cancel-in-progress"], "never stop a rollout half-way")

    def test_rollout_assumes_the_role_by_oidc_in_its_environment(self):
        rollout = load("rollout.yml")
        self.assertEqual(rollout["permissions"]["id-token"], "write")
        job = rollout["jobs"]["rollout"]
        self.assertEqual(job["environment"], "${{ inputs.environment }}")
        credentials = [s for s in job["steps"] if "configure-aws-credentials" in s.get("uses", "")]
        self.assertEqual(len(credentials), 1)
        self.assertEqual(credentials[0]["with"]["role-to-assume"], "${{ secrets.AWS_DEPLOY_ROLE_ARN }}")
        script = job["steps"][-1]
        self.assertRegex(script["run"], r"server/dist/rollout\.sh")
        self.assertEqual(set(script["env"]), {"ENVIRONMENT", "RELEASE", "DIST"})

    def test_the_rollout_script_smoke_tests_and_rolls_back(self):
        script = open(os.path.join(REPO, "server", "dist", "rollout.sh"), encoding="utf-8").read()
        self.assertIn('"AutoRollback": true', script)
        self.assertIn('"MinHealthyPercentage": 100', script)
        smoke = script.index("smoke.sh")
        self.assertLess(smoke, script.index("modify-launch-template"),
                        "the new version becomes the default only after the smoke test")
        self.assertLess(smoke, script.index("put-parameter"))
        self.assertRegex(script[smoke:], r'refresh_to "\$current_version"')


if __name__ == "__main__":
    unittest.main()
