# The instances' role: exactly what the app, the boot script and the agents use, on the named
# resources only.

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "instance" {
  name               = "${var.name}-instance"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

# Session Manager (shell access without SSH keys or open ports).
resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_role_policy" "app" {
  name   = "shelf-app"
  role   = aws_iam_role.instance.id
  policy = data.aws_iam_policy_document.app.json
}

data "aws_iam_policy_document" "app" {
  # Every item read and write is one of these (a search: Queries of search_digest and one
  # BatchGetItem); location writes are TransactWriteItems checking the locations they rely
  # on (ConditionCheckItem); DescribeTable is the readiness check. No Scan:
  # `shelf migrate` runs with an operator's credentials.
  statement {
    sid = "ItemsTable"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:Query",
      "dynamodb:DescribeTable",
    ]
    resources = [
      var.table_arn,
      "${var.table_arn}/index/newest_first",
      "${var.table_arn}/index/search_digest",
    ]
  }

  # Accounts: a signed-in request is one BatchGetItem; membership changes and used links are
  # TransactWriteItems (which needs the per-item actions, ConditionCheckItem included); signing
  # out everywhere is a Query and a BatchWriteItem.
  statement {
    sid = "AccountsTable"
    actions = [
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:Query",
    ]
    resources = [var.accounts_table_arn]
  }

  # Uploads are pre-signed with this role's credentials (PutObject), checked (Get/Head),
  # copied to photos/ (Get + Put), and deleted with their item or by the sweeper.
  statement {
    sid       = "PhotoObjects"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]
    resources = ["${var.photos_bucket_arn}/uploads/*", "${var.photos_bucket_arn}/photos/*"]
  }

  # Listing an item's keys (delete, sweeper) and HeadBucket (readiness).
  statement {
    sid       = "PhotoBucket"
    actions   = ["s3:ListBucket"]
    resources = [var.photos_bucket_arn]
  }

  statement {
    sid       = "ReleaseArtifacts"
    actions   = ["s3:GetObject"]
    resources = ["${var.artifact_bucket_arn}/releases/*"]
  }

  statement {
    sid       = "UploadSecret"
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.upload_secret.arn]
  }

  statement {
    sid       = "DecryptTheSecretAndTable"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }

  # The CloudWatch agent ships the app's journal to this one log group.
  statement {
    sid       = "AppLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [var.log_group_arn, "${var.log_group_arn}:log-stream:*"]
  }

  # PutMetricData has no resource to name; the namespace condition is the limit.
  statement {
    sid       = "AgentMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["CWAgent"]
    }
  }
}

resource "aws_iam_instance_profile" "instance" {
  name = "${var.name}-instance"
  role = aws_iam_role.instance.name
}
