# A private S3 bucket as every Shelf bucket is: public access blocked, objects owned by the
# bucket owner (no ACLs), encrypted, versioned, reachable over TLS only, access-logged unless
# it is the log bucket itself. Callers add their own policy statements and lifecycle rules.

resource "aws_s3_bucket" "this" {
  # checkov:skip=CKV_AWS_145: the caller chooses the key (sse_algorithm): photos and the log bucket need S3-managed keys (CloudFront's OAC reads, ALB log delivery), the state bucket uses KMS
  # checkov:skip=CKV_AWS_144: recovery is versioning within the region (README, Disaster recovery); replication to a second region doubles storage cost for a regional outage Shelf does not claim to survive
  # checkov:skip=CKV2_AWS_62: nothing in Shelf consumes object events (uploads are attached by the browser's request; deploys are driven by the workflow)
  # checkov:skip=CKV_AWS_18: access logging is the aws_s3_bucket_logging below, except for the log bucket itself and the state bucket that precedes it
  bucket        = var.name
  force_destroy = var.force_destroy
  tags          = { Name = var.name }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

# Every object overwritten or deleted stays restorable until the caller's lifecycle rules
# expire its old versions.
resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "this" {
  count         = var.log_bucket_id == null ? 0 : 1
  bucket        = aws_s3_bucket.this.id
  target_bucket = var.log_bucket_id
  target_prefix = "s3/${var.name}/"
}

resource "aws_s3_bucket_policy" "this" {
  bucket     = aws_s3_bucket.this.id
  policy     = data.aws_iam_policy_document.this.json
  depends_on = [aws_s3_bucket_public_access_block.this]
}

data "aws_iam_policy_document" "this" {
  source_policy_documents = var.policy_documents

  statement {
    sid     = "TlsOnly"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  # Rules apply to versions only once versioning is on.
  depends_on = [aws_s3_bucket_versioning.this]

  # Parts of uploads that never completed cost money and show nowhere.
  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  dynamic "rule" {
    for_each = var.lifecycle_rules
    content {
      id     = rule.value.id
      status = "Enabled"
      filter {
        prefix = rule.value.prefix
      }
      dynamic "expiration" {
        for_each = rule.value.expire_days == null ? [] : [rule.value.expire_days]
        content {
          days = expiration.value
        }
      }
      dynamic "noncurrent_version_expiration" {
        for_each = rule.value.noncurrent_days == null ? [] : [rule.value.noncurrent_days]
        content {
          noncurrent_days = noncurrent_version_expiration.value
        }
      }
    }
  }
}
