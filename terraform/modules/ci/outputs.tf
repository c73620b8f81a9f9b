output "artifact_bucket" {
  value = aws_s3_bucket.artifacts.id
}

output "artifact_bucket_arn" {
  value = aws_s3_bucket.artifacts.arn
}

output "deploy_role_arn" {
  value = aws_iam_role.deploy.arn
}
