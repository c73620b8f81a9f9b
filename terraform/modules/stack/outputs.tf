output "alb_dns_name" {
  description = "Point the app's domain here (CNAME or Route 53 alias)."
  value       = module.app.alb_dns_name
}

output "app_url" {
  value = local.app_origin
}

output "cloudfront_domain" {
  description = "Photos are served from here (SHELF_MEDIA_BASE_URL)."
  value       = module.cdn.domain_name
}

output "photos_bucket" {
  value = module.data.photos_bucket
}

output "artifact_bucket" {
  value = module.ci.artifact_bucket
}

output "log_bucket" {
  value = module.observability.log_bucket_id
}

output "table_name" {
  value = module.data.table_name
}

output "asg_name" {
  value = module.app.asg_name
}

output "deploy_role_arn" {
  description = "The deploy workflow's AWS_DEPLOY_ROLE_ARN for this environment."
  value       = module.ci.deploy_role_arn
}

output "alarm_topic_arn" {
  value = module.observability.alarm_topic_arn
}
