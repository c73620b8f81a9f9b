#!/usr/bin/env bash
# Rolls a release out to one environment, as the deploy workflow does:
#   rollout.sh ENVIRONMENT RELEASE [DIST_DIR]
# RELEASE is <version>-<commit> (the tarball shelf-<RELEASE>-x86_64-unknown-linux-gnu.tar.gz).
# With DIST_DIR, the tarball and its .sha256 are uploaded from there first; without, the
# release must already be in the environment's artifact bucket (a rollback).
#
# 1. A new launch template version: the current one with its `shelf-release` tag changed
#    (instances install the release their tag names, see terraform/modules/app).
# 2. An instance refresh to it: rolling, never below 100 % healthy capacity, new instances
#    must pass the ALB's /readyz check, and AWS rolls back by itself if they do not.
# 3. The smoke test (smoke.sh) through the load balancer; if it fails, a second refresh
#    brings the previous version back.
# 4. Only then is the new version made the default and the release recorded in SSM (which
#    Terraform reads, so an apply never rolls a release back).
set -euo pipefail
environment="${1:?usage: rollout.sh ENVIRONMENT RELEASE [DIST_DIR]}"
release="${2:?usage: rollout.sh ENVIRONMENT RELEASE [DIST_DIR]}"
dist="${3:-}"
here="$(cd "$(dirname "$0")" && pwd)"
[[ "$environment" =~ ^(dev|staging|prod)$ ]] || { echo "unknown environment: $environment" >&2; exit 2; }
[[ "$release" =~ ^[0-9A-Za-z.+-]+$ ]] || { echo "not a release name: $release" >&2; exit 2; }
name="shelf-$release-x86_64-unknown-linux-gnu"
# Bounded waits: an instance boots and passes /readyz in ~3 min; a refresh of N instances
# takes about N times that.
refresh_timeout_secs="${REFRESH_TIMEOUT_SECS:-3600}"
poll_secs=20

log() { echo "rollout[$environment]: $*"; }

config=$(aws ssm get-parameter --name "/shelf-$environment/deploy" --query Parameter.Value --output text)
field() { jq -r ".$1" <<<"$config"; }
asg=$(field asg_name)
template=$(field launch_template_id)
bucket=$(field artifact_bucket)
release_parameter=$(field release_parameter)
app_url=$(field app_url)

if [ -n "$dist" ]; then
  (cd "$dist" && sha256sum --check --strict "$name.tar.gz.sha256")
  for file in "$name.tar.gz" "$name.tar.gz.sha256"; do
    aws s3 cp --only-show-errors "$dist/$file" "s3://$bucket/releases/$file"
  done
  log "uploaded $name"
else
  aws s3api head-object --bucket "$bucket" --key "releases/$name.tar.gz" >/dev/null \
    || { echo "release $release is not in s3://$bucket/releases/" >&2; exit 1; }
fi

current=$(aws ec2 describe-launch-template-versions --launch-template-id "$template" \
  --versions '$Default' --query 'LaunchTemplateVersions[0]' --output json)
current_version=$(jq -r .VersionNumber <<<"$current")
previous_release=$(jq -r '.LaunchTemplateData.TagSpecifications[] | select(.ResourceType == "instance")
  | .Tags[] | select(.Key == "shelf-release") | .Value' <<<"$current")
log "deployed: $previous_release (launch template version $current_version); deploying $release"

tag_specifications=$(jq --arg release "$release" '.LaunchTemplateData.TagSpecifications
  | map(if .ResourceType == "instance"
        then .Tags = ([.Tags[] | select(.Key != "shelf-release")] + [{Key: "shelf-release", Value: $release}])
        else . end)' <<<"$current")
new_version=$(aws ec2 create-launch-template-version --launch-template-id "$template" \
  --source-version "$current_version" --version-description "shelf $release" \
  --launch-template-data "$(jq -n --argjson tags "$tag_specifications" '{TagSpecifications: $tags}')" \
  --query LaunchTemplateVersion.VersionNumber --output text)
log "launch template version $new_version"

# Rolls the group to launch template version $1 and waits; 0 only if it succeeded.
refresh_to() {
  local version=$1 id status deadline
  id=$(aws autoscaling start-instance-refresh --auto-scaling-group-name "$asg" --strategy Rolling \
    --desired-configuration "$(jq -n --arg t "$template" --arg v "$version" \
      '{LaunchTemplate: {LaunchTemplateId: $t, Version: $v}}')" \
    --preferences '{"MinHealthyPercentage": 100, "MaxHealthyPercentage": 200, "AutoRollback": true, "SkipMatching": false}' \
    --query InstanceRefreshId --output text)
  deadline=$((SECONDS + refresh_timeout_secs))
  while :; do
    status=$(aws autoscaling describe-instance-refreshes --auto-scaling-group-name "$asg" \
      --instance-refresh-ids "$id" --query 'InstanceRefreshes[0].[Status,PercentageComplete]' --output text)
    log "refresh $id to version $version: $status"
    case "$status" in
      Successful*) return 0 ;;
      Failed* | Cancelled* | RollbackSuccessful* | RollbackFailed*) return 1 ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
      aws autoscaling cancel-instance-refresh --auto-scaling-group-name "$asg" >/dev/null || true
      log "refresh $id did not finish in ${refresh_timeout_secs}s: cancelled"
      return 1
    fi
    sleep "$poll_secs"
  done
}

if ! refresh_to "$new_version"; then
  log "the refresh failed and AWS rolled it back: $previous_release stays deployed"
  exit 1
fi
if ! bash "$here/smoke.sh" "$app_url" "deploy $release"; then
  log "smoke test failed on $release: rolling back to version $current_version ($previous_release)"
  refresh_to "$current_version" || log "the rollback refresh failed too: see the ASG's activity"
  exit 1
fi

aws ec2 modify-launch-template --launch-template-id "$template" --default-version "$new_version" >/dev/null
aws ssm put-parameter --name "$release_parameter" --value "$release" --overwrite >/dev/null
log "$release deployed (launch template version $new_version)"
