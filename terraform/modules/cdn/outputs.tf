output "distribution_arn" {
  value = aws_cloudfront_distribution.photos.arn
}

output "distribution_id" {
  value = aws_cloudfront_distribution.photos.id
}

output "domain_name" {
  value = aws_cloudfront_distribution.photos.domain_name
}
