# What Shelf stores: the items table (and its newest-first index) and the photos bucket,
# exactly as `server/src/store/dynamodb` and `server/src/store/s3` expect them.

resource "aws_dynamodb_table" "items" {
  name         = "${var.name}-items"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
  attribute {
    name = "list_pk"
    type = "S"
  }
  attribute {
    name = "list_sk"
    type = "S"
  }

  # The list: one partition ("items"), sorted by creation time then id, read backwards.
  global_secondary_index {
    name            = "newest_first"
    hash_key        = "list_pk"
    range_key       = "list_sk"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.main.arn
  }

  deletion_protection_enabled = var.deletion_protection
  tags                        = { Name = "${var.name}-items" }
}

resource "aws_s3_bucket" "photos" {
  # checkov:skip=CKV_AWS_145: SSE-S3 (AES-256): CloudFront reads every photo through OAC, and a KMS key would add a key-policy grant and a KMS request per cache miss for no extra protection of public-by-URL images
  # checkov:skip=CKV_AWS_144: recovery is versioning within the region (README, Disaster recovery); cross-region replication doubles storage cost and is left to a prod that needs a regional RTO
  # checkov:skip=CKV2_AWS_62: nothing consumes object events: the app learns of uploads when the browser attaches them
  bucket        = "${var.name}-photos-${var.account_id}"
  force_destroy = !var.deletion_protection
  tags          = { Name = "${var.name}-photos" }
}

resource "aws_s3_bucket_public_access_block" "photos" {
  bucket                  = aws_s3_bucket.photos.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "photos" {
  bucket = aws_s3_bucket.photos.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "photos" {
  bucket = aws_s3_bucket.photos.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# A deleted or overwritten photo can be restored for `noncurrent_days` (see Disaster recovery).
resource "aws_s3_bucket_versioning" "photos" {
  bucket = aws_s3_bucket.photos.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "photos" {
  bucket     = aws_s3_bucket.photos.id
  depends_on = [aws_s3_bucket_versioning.photos]

  # Uploads land under uploads/ and are copied to photos/ when attached; whatever is still
  # there a day later was never attached (the app's attach window is one hour).
  rule {
    id     = "expire-unattached-uploads"
    status = "Enabled"
    filter {
      prefix = "uploads/"
    }
    expiration {
      days = 1
    }
    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_days
    }
    expiration {
      expired_object_delete_marker = true
    }
  }

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

# Browsers PUT photos straight to pre-signed URLs from the app's pages; only that origin, and
# they read ETag to confirm the upload.
resource "aws_s3_bucket_cors_configuration" "photos" {
  bucket = aws_s3_bucket.photos.id
  cors_rule {
    allowed_methods = ["PUT"]
    allowed_origins = [var.app_origin]
    allowed_headers = ["content-type", "cache-control"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3600
  }
}

resource "aws_s3_bucket_logging" "photos" {
  bucket        = aws_s3_bucket.photos.id
  target_bucket = var.log_bucket_id
  target_prefix = "s3/${aws_s3_bucket.photos.id}/"
}

# Request metrics (4xx, 5xx, latency) for the alarms; S3 publishes none without this.
resource "aws_s3_bucket_metric" "photos" {
  bucket = aws_s3_bucket.photos.id
  name   = "EntireBucket"
}

resource "aws_s3_bucket_policy" "photos" {
  bucket     = aws_s3_bucket.photos.id
  policy     = data.aws_iam_policy_document.photos.json
  depends_on = [aws_s3_bucket_public_access_block.photos]
}

data "aws_iam_policy_document" "photos" {
  statement {
    sid     = "TlsOnly"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_s3_bucket.photos.arn, "${aws_s3_bucket.photos.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # CloudFront (through its Origin Access Control) reads attached photos, nothing else.
  statement {
    sid       = "CloudFrontReadsPhotos"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.photos.arn}/photos/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [var.cloudfront_distribution_arn]
    }
  }
}
