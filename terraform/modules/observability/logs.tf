# Where logs go: the app's JSON logs to CloudWatch Logs (shipped by the CloudWatch agent the
# user data configures), and the access logs of the ALB, the photos bucket and the VPC's flow
# logs to one log bucket.

data "aws_region" "current" {}

# The app's stdout: one JSON object per line, with request ids.
resource "aws_cloudwatch_log_group" "app" {
  name              = "/${var.name}/app"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# ALB access logs can only be written to buckets with S3-managed keys: no kms_key_arn.
module "logs" {
  source           = "../private_bucket"
  name             = "${var.name}-logs-${var.account_id}"
  force_destroy    = !var.deletion_protection
  policy_documents = [data.aws_iam_policy_document.log_delivery.json]
  lifecycle_rules = [
    { id = "expire-logs", expire_days = var.log_retention_days, noncurrent_days = 7 },
  ]
}

data "aws_elb_service_account" "current" {}

data "aws_iam_policy_document" "log_delivery" {
  # The ALB's access logs: the regional ELB account (older regions) or the log delivery
  # service (newer ones).
  statement {
    sid       = "AlbAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${module.logs.arn}/alb/AWSLogs/${var.account_id}/*"]
    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }
  statement {
    sid       = "AlbAccessLogsDelivery"
    actions   = ["s3:PutObject"]
    resources = ["${module.logs.arn}/alb/AWSLogs/${var.account_id}/*"]
    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid       = "S3ServerAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${module.logs.arn}/s3/*"]
    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }

  statement {
    sid       = "VpcFlowLogs"
    actions   = ["s3:PutObject"]
    resources = ["${module.logs.arn}/vpc-flow-logs/AWSLogs/${var.account_id}/*"]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
  statement {
    sid       = "VpcFlowLogsAcl"
    actions   = ["s3:GetBucketAcl"]
    resources = [module.logs.arn]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}
