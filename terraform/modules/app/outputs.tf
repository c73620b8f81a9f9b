output "alb_dns_name" {
  value = aws_lb.main.dns_name
}

output "alb_zone_id" {
  value = aws_lb.main.zone_id
}

output "alb_arn_suffix" {
  value = aws_lb.main.arn_suffix
}

output "target_group_arn_suffix" {
  value = aws_lb_target_group.app.arn_suffix
}

output "asg_name" {
  value = aws_autoscaling_group.app.name
}

output "asg_arn" {
  value = aws_autoscaling_group.app.arn
}

output "launch_template_arn" {
  value = aws_launch_template.app.arn
}

output "instance_role_arn" {
  value = aws_iam_role.instance.arn
}

output "release_parameter_arn" {
  value = aws_ssm_parameter.release.arn
}

output "deploy_parameter_arn" {
  value = aws_ssm_parameter.deploy.arn
}
