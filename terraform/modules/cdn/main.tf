# CloudFront in front of the photos bucket. Photo objects never change (a new photo gets a
# new key), so they are cached for a year at the edge and in browsers; the app's photo URLs
# are `https://<this distribution>/photos/...` (SHELF_MEDIA_BASE_URL).

resource "aws_cloudfront_origin_access_control" "photos" {
  name                              = "${var.name}-photos"
  description                       = "Signed requests from CloudFront to the photos bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_cache_policy" "immutable" {
  name        = "${var.name}-immutable-photos"
  comment     = "Photos never change under one key: cache a year, ignore cookies, headers and query strings"
  min_ttl     = 86400
  default_ttl = 31536000
  max_ttl     = 31536000

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = true
    enable_accept_encoding_gzip   = true
    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_response_headers_policy" "photos" {
  name    = "${var.name}-photos"
  comment = "Security headers for photo responses"

  security_headers_config {
    content_type_options {
      override = true
    }
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }
    referrer_policy {
      referrer_policy = "same-origin"
      override        = true
    }
    frame_options {
      frame_option = "DENY"
      override     = true
    }
  }
}

resource "aws_cloudfront_distribution" "photos" {
  # checkov:skip=CKV_AWS_68: serves only GETs of immutable photos by unguessable keys from a private bucket; a WAF would bill every photo view and has nothing to inspect (Shield Standard covers DDoS)
  # checkov:skip=CKV2_AWS_47: no WAF here (above); Log4j rules also guard the ALB's WAF, in front of the only code that parses requests
  # checkov:skip=CKV_AWS_86: legacy CloudFront logs need an ACL-enabled bucket (the log bucket enforces owner-only objects); the 5xx alarm and CloudFront's own metrics watch this path
  # checkov:skip=CKV_AWS_374: who may see an owner's photos is the owner's business, not a country list
  # checkov:skip=CKV_AWS_310: one origin bucket; photos are protected by versioning, and an origin failover needs a replicated bucket (cost: see README, Disaster recovery)
  # checkov:skip=CKV_AWS_305: not a website: only /photos/... keys are served, the root has nothing to show
  # checkov:skip=CKV_AWS_174: photos are served on the distribution's own *.cloudfront.net name and certificate, whose minimum protocol CloudFront fixes; no cookies or credentials travel on it
  # checkov:skip=CKV2_AWS_42: as above: no custom domain for photo URLs
  enabled         = true
  is_ipv6_enabled = true
  comment         = "${var.name} photos"
  price_class     = var.price_class
  http_version    = "http2and3"

  origin {
    origin_id                = "photos"
    domain_name              = var.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.photos.id
  }

  default_cache_behavior {
    target_origin_id           = "photos"
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = aws_cloudfront_cache_policy.immutable.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.photos.id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }

  tags = { Name = "${var.name}-photos" }
}
