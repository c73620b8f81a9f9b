# Users of the name (log delivery, the ALB's access logs) wait until the policy is in place:
# the ALB refuses a log bucket that does not let it write yet.
output "id" {
  value      = aws_s3_bucket.this.id
  depends_on = [aws_s3_bucket_policy.this]
}

output "arn" {
  value = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  value = aws_s3_bucket.this.bucket_regional_domain_name
}
