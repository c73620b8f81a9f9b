# The instances: one `shelf` each, in private subnets of both AZs, installed at boot from the
# release artifact named by the launch template's `shelf-release` tag. A deploy is a new
# launch template version with a new tag and an instance refresh (see .github/workflows/deploy.yml).

data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.architecture}"
}

# Shared by every instance: upload ids signed by one are attached through another.
resource "random_password" "upload_secret" {
  length  = 48
  special = false
}

resource "aws_ssm_parameter" "upload_secret" {
  name        = "/${var.name}/upload-secret"
  description = "SHELF_UPLOAD_SECRET: signs upload URLs, upload ids and list cursors"
  type        = "SecureString"
  key_id      = var.kms_key_arn
  value       = random_password.upload_secret.result
}

# The release the deploy workflow last rolled out. Terraform creates it with
# `initial_release` and then only reads it, so an apply builds the launch template for
# whatever is deployed and never rolls a release back.
resource "aws_ssm_parameter" "release" {
  # checkov:skip=CKV2_AWS_34: holds a release name (<version>-<commit>), no secret; the launch template shows it as a tag anyway
  name        = "/${var.name}/release"
  description = "The deployed Shelf release (<version>-<commit>), written by the deploy workflow"
  type        = "String"
  value       = var.initial_release
  lifecycle {
    ignore_changes = [value]
  }
}

resource "aws_security_group" "app" {
  name        = "${var.name}-app"
  description = "Shelf instances: the app port from the load balancer only; no SSH"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-app" }
}

resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  security_group_id            = aws_security_group.app.id
  description                  = "The app port from the load balancer"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
}

# Out: HTTPS inside the VPC only (gateway endpoints' prefix lists and interface endpoints).
resource "aws_vpc_security_group_egress_rule" "app_https_vpc" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to the interface endpoints"
  cidr_ipv4         = var.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "app_https_endpoints" {
  for_each          = toset(var.gateway_prefix_list_ids)
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to S3 and DynamoDB through the gateway endpoints"
  prefix_list_id    = each.key
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

locals {
  user_data = templatefile("${path.module}/user_data.sh.tftpl", {
    name            = var.name
    region          = var.region
    artifact_bucket = var.artifact_bucket
    target          = var.architecture == "arm64" ? "aarch64-unknown-linux-gnu" : "x86_64-unknown-linux-gnu"
    secret_param    = aws_ssm_parameter.upload_secret.name
    log_group       = var.log_group_name
    app_port        = var.app_port
    drain_seconds   = var.drain_seconds
    env_file = join("\n", [
      "LEPTOS_SITE_ADDR=0.0.0.0:${var.app_port}",
      "SHELF_STORE=aws",
      "AWS_REGION=${var.region}",
      "SHELF_DYNAMODB_TABLE=${var.table_name}",
      "SHELF_DYNAMODB_ACCOUNTS_TABLE=${var.accounts_table_name}",
      "SHELF_ANONYMOUS_ACCESS=${var.anonymous_access}",
      "SHELF_SIGN_UP=${var.sign_up}",
      # The ALB appends the client's address to X-Forwarded-For (per-address sign-in limits).
      "SHELF_TRUST_FORWARDED_FOR=true",
      "SHELF_S3_BUCKET=${var.photos_bucket}",
      "SHELF_MEDIA_BASE_URL=${var.media_base_url}",
      "SHELF_DRAIN_SECS=${var.drain_seconds}",
      # Header-read timeouts also end idle keep-alive connections: outlast the ALB's 60 s
      # idle timeout, or the ALB may send a request on a connection just being closed (502).
      "SHELF_HEADER_READ_TIMEOUT_SECS=75",
      "SHELF_SHUTDOWN_TIMEOUT_SECS=30",
      "SHELF_LOG_FORMAT=json",
      "RUST_LOG=info",
    ])
  })
}

resource "aws_launch_template" "app" {
  name                   = "${var.name}-app"
  image_id               = data.aws_ssm_parameter.al2023.insecure_value
  instance_type          = var.instance_type
  update_default_version = true
  user_data              = base64encode(local.user_data)
  ebs_optimized          = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.instance.arn
  }

  # IMDSv2 only, one hop (containers on the host cannot reach it); tags readable, for the
  # release the boot script installs.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  network_interfaces {
    associate_public_ip_address = false
    security_groups             = [aws_security_group.app.id]
    delete_on_termination       = true
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = 20
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  tag_specifications {
    resource_type = "instance"
    tags = {
      Name            = "${var.name}-app"
      "shelf-release" = aws_ssm_parameter.release.value
    }
  }

  tag_specifications {
    resource_type = "volume"
    tags          = { Name = "${var.name}-app" }
  }
}

resource "aws_autoscaling_group" "app" {
  name                      = "${var.name}-app"
  vpc_zone_identifier       = var.private_subnet_ids
  min_size                  = var.min_size
  max_size                  = var.max_size
  target_group_arns         = [aws_lb_target_group.app.arn]
  health_check_type         = "ELB"
  health_check_grace_period = var.health_check_grace_seconds
  default_instance_warmup   = var.health_check_grace_seconds
  wait_for_capacity_timeout = "15m"
  # A new instance first proves itself (in service behind the ALB) before an old one goes.
  capacity_rebalance = false

  launch_template {
    id      = aws_launch_template.app.id
    version = aws_launch_template.app.latest_version
  }

  # Rolling replacement whenever the launch template changes (a Terraform change here, or a
  # release by the deploy workflow): capacity never drops below 100 %, new instances must
  # pass health checks, and a failed refresh rolls back to the previous template.
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 100
      max_healthy_percentage = 200
      instance_warmup        = var.health_check_grace_seconds
      auto_rollback          = true
      skip_matching          = false
    }
  }

  termination_policies = ["OldestLaunchTemplate", "OldestInstance"]
  enabled_metrics      = ["GroupInServiceInstances", "GroupDesiredCapacity", "GroupTotalInstances"]

  tag {
    key                 = "Name"
    value               = "${var.name}-app"
    propagate_at_launch = true
  }

  lifecycle {
    ignore_changes = [desired_capacity]
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                   = "${var.name}-cpu-70"
  autoscaling_group_name = aws_autoscaling_group.app.name
  policy_type            = "TargetTrackingScaling"
  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = 70
  }
}

resource "aws_autoscaling_policy" "requests" {
  name                   = "${var.name}-requests-per-target"
  autoscaling_group_name = aws_autoscaling_group.app.name
  policy_type            = "TargetTrackingScaling"
  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${aws_lb.main.arn_suffix}/${aws_lb_target_group.app.arn_suffix}"
    }
    target_value = var.requests_per_target
  }
}

# What the deploy workflow needs to find, in one parameter it can read.
resource "aws_ssm_parameter" "deploy" {
  # checkov:skip=CKV2_AWS_34: resource names and the public app URL, no secret
  name        = "/${var.name}/deploy"
  description = "Names the deploy workflow uses (JSON)"
  type        = "String"
  value = jsonencode({
    asg_name           = aws_autoscaling_group.app.name
    launch_template_id = aws_launch_template.app.id
    artifact_bucket    = var.artifact_bucket
    release_parameter  = aws_ssm_parameter.release.name
    app_url            = var.app_origin
  })
}
