# The environment's key: the table, the upload secret, the app's log group and the alarm
# topic. (Photos use S3-managed keys: CloudFront reads every photo, and a KMS call per cache
# miss buys nothing S3's own AES-256 does not give.)

data "aws_region" "current" {}

resource "aws_kms_key" "main" {
  description             = "${var.name}: table, secrets, logs, alarms"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "main" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.main.key_id
}

data "aws_iam_policy_document" "key" {
  # checkov:skip=CKV_AWS_111: a key policy's "*" resource is the key itself; the account root statement is AWS's default, delegating use to IAM
  # checkov:skip=CKV_AWS_109: as above: key administration stays with the account, through IAM
  # checkov:skip=CKV_AWS_356: as above: in a key policy, "*" can only mean this key
  # The account administers the key and grants its use through IAM policies.
  statement {
    sid       = "Account"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogs"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${data.aws_region.current.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values = [
        "arn:aws:logs:${data.aws_region.current.region}:${var.account_id}:log-group:/${var.name}/*",
        "arn:aws:logs:${data.aws_region.current.region}:${var.account_id}:log-group:aws-waf-logs-${var.name}",
      ]
    }
  }

  # Alarms publish to the encrypted topic.
  statement {
    sid       = "CloudWatchAlarms"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}
