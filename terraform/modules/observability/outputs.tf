output "log_bucket_id" {
  value = module.logs.id
}

# Flow logs check the bucket policy when they are created: wait for it.
output "log_bucket_arn" {
  value      = module.logs.arn
  depends_on = [module.logs]
}

output "app_log_group" {
  value = aws_cloudwatch_log_group.app.name
}

output "app_log_group_arn" {
  value = aws_cloudwatch_log_group.app.arn
}

output "alarm_topic_arn" {
  value = aws_sns_topic.alarms.arn
}
