# What Shelf stores: the items table (and its newest-first index) and the photos bucket,
# exactly as `server/src/store/dynamodb` and `server/src/store/s3` expect them.

resource "aws_dynamodb_table" "items" {
  name         = coalesce(var.table_name, "${var.name}-items")
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

  # The list: a partition per collection, sorted by creation time then id, read backwards.
  global_secondary_index {
    name            = "newest_first"
    hash_key        = "list_pk"
    range_key       = "list_sk"
    projection_type = "ALL"
  }

  # Search and tag filters: the same keys, only what a search ranks by and a filter checks,
  # so one 1 MB page holds thousands of items (server/src/store/dynamodb/search.rs).
  # A projection cannot change in place: a new one replaces the index (DynamoDB rebuilds it
  # from the items; searches fail until it is active again).
  global_secondary_index {
    name               = "search_digest"
    hash_key           = "list_pk"
    range_key          = "list_sk"
    projection_type    = "INCLUDE"
    non_key_attributes = ["name", "description", "tags", "location"]
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

# Users, collections, memberships, sessions, API tokens, invites and failed sign-ins, one table
# keyed pk + sk (server/src/store/dynamodb/accounts/keys.rs). DynamoDB's TTL on `ttl` drops
# expired sessions, links and sign-in counts; the app checks expiry itself as well.
resource "aws_dynamodb_table" "accounts" {
  name         = "${var.name}-accounts"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }

  ttl {
    attribute_name = "ttl"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.main.arn
  }

  deletion_protection_enabled = var.deletion_protection
  tags                        = { Name = "${var.name}-accounts" }
}

module "photos" {
  source        = "../private_bucket"
  name          = "${var.name}-photos-${var.account_id}"
  force_destroy = !var.deletion_protection
  log_bucket_id = var.log_bucket_id
  lifecycle_rules = [
    # Uploads land under uploads/ and are copied to photos/ when attached; whatever is still
    # there a day later was never attached (the app's attach window is one hour).
    { id = "expire-unattached-uploads", prefix = "uploads/", expire_days = 1, noncurrent_days = 1 },
    # A deleted or overwritten photo stays restorable this long (README, Disaster recovery).
    { id = "expire-noncurrent-versions", noncurrent_days = var.noncurrent_days },
  ]
  # CloudFront (through its Origin Access Control) reads attached photos, nothing else.
  policy_documents = [data.aws_iam_policy_document.cloudfront_reads_photos.json]
}

data "aws_iam_policy_document" "cloudfront_reads_photos" {
  statement {
    sid       = "CloudFrontReadsPhotos"
    actions   = ["s3:GetObject"]
    resources = ["${module.photos.arn}/photos/*"]
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

# Browsers PUT photos straight to pre-signed URLs from the app's pages; only that origin, and
# they read ETag to confirm the upload. The checksum headers carry the SHA-256 that the URL is
# signed for (S3 refuses other bytes).
resource "aws_s3_bucket_cors_configuration" "photos" {
  bucket = module.photos.id
  cors_rule {
    allowed_methods = ["PUT"]
    allowed_origins = [var.app_origin]
    allowed_headers = ["content-type", "cache-control", "x-amz-checksum-sha256", "x-amz-sdk-checksum-algorithm"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3600
  }
}

# Request metrics (4xx, 5xx, latency) for the alarms; S3 publishes none without this.
resource "aws_s3_bucket_metric" "photos" {
  bucket = module.photos.id
  name   = "EntireBucket"
}
