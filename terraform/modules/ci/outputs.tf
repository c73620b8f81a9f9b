output "artifact_bucket" {
  value = module.artifacts.id
}

output "artifact_bucket_arn" {
  value = module.artifacts.arn
}

output "deploy_role_arn" {
  value = aws_iam_role.deploy.arn
}
