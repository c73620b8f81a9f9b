# What GitHub Actions deploys with: the artifact bucket releases are uploaded to, and a role
# the deploy workflow assumes through GitHub's OIDC provider (no long-lived keys anywhere),
# only from this repository's main branch or its environments.

module "artifacts" {
  source        = "../private_bucket"
  name          = "${var.name}-artifacts-${var.account_id}"
  log_bucket_id = var.log_bucket_id
  # Old releases go after a while; the deployed one and its predecessor are far younger.
  lifecycle_rules = [
    { id = "expire-old-releases", prefix = "releases/", expire_days = var.release_retention_days, noncurrent_days = 7 },
  ]
}

# One provider per account: create it in one environment and pass its ARN to the others
# when they share the account.
resource "aws_iam_openid_connect_provider" "github" {
  count          = var.github_oidc_provider_arn == null ? 1 : 0
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

locals {
  oidc_provider_arn = coalesce(var.github_oidc_provider_arn, one(aws_iam_openid_connect_provider.github[*].arn))
}

data "aws_iam_policy_document" "assume_from_github" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    # Jobs of the deploy workflow run in the environment named like this one, which GitHub
    # only lets the main branch use (environment protection rules); pushes to main as such.
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values = [
        "repo:${var.github_repository}:ref:refs/heads/main",
        "repo:${var.github_repository}:environment:${var.environment}",
      ]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${var.name}-deploy"
  assume_role_policy   = data.aws_iam_policy_document.assume_from_github.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "deploy" {
  name   = "shelf-deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "UploadReleases"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${module.artifacts.arn}/releases/*"]
  }

  statement {
    sid       = "DeployParameters"
    actions   = ["ssm:GetParameter", "ssm:PutParameter"]
    resources = [var.release_parameter_arn, var.deploy_parameter_arn]
  }

  statement {
    sid       = "NewLaunchTemplateVersion"
    actions   = ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"]
    resources = [var.launch_template_arn]
  }

  # The new version keeps the instance profile: passing its role to EC2 only.
  statement {
    sid       = "PassInstanceRole"
    actions   = ["iam:PassRole"]
    resources = [var.instance_role_arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ec2.amazonaws.com"]
    }
  }

  statement {
    sid = "RollInstances"
    actions = [
      "autoscaling:StartInstanceRefresh",
      "autoscaling:CancelInstanceRefresh",
      "autoscaling:RollbackInstanceRefresh",
    ]
    resources = [var.asg_arn]
  }

  # Rolling a group to a launch template needs permission to launch from it, and only it.
  statement {
    sid       = "LaunchFromTheTemplate"
    actions   = ["ec2:RunInstances"]
    resources = ["*"]
    condition {
      test     = "ArnEquals"
      variable = "ec2:LaunchTemplate"
      values   = [var.launch_template_arn]
    }
  }

  # Describe calls cannot be limited to a resource.
  statement {
    sid = "ReadState"
    actions = [
      "autoscaling:DescribeInstanceRefreshes",
      "autoscaling:DescribeAutoScalingGroups",
      "ec2:DescribeLaunchTemplateVersions",
    ]
    resources = ["*"]
  }
}
