# One page for the environment: traffic, errors, latency, hosts, the table, photos.

locals {
  region = data.aws_region.current.region
  alb    = ["LoadBalancer", var.alb_arn_suffix]
  widgets = [
    {
      title   = "Requests and 5xx (ALB)"
      metrics = [["AWS/ApplicationELB", "RequestCount", local.alb[0], local.alb[1], { stat = "Sum" }], [".", "HTTPCode_Target_5XX_Count", ".", ".", { stat = "Sum" }], [".", "HTTPCode_ELB_5XX_Count", ".", ".", { stat = "Sum" }]]
    },
    {
      title   = "Target response time"
      metrics = [["AWS/ApplicationELB", "TargetResponseTime", local.alb[0], local.alb[1], { stat = "p50" }], ["...", { stat = "p95" }], ["...", { stat = "p99" }]]
    },
    {
      title   = "Healthy and unhealthy targets"
      metrics = [["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", var.target_group_arn_suffix, local.alb[0], local.alb[1], { stat = "Minimum" }], [".", "UnHealthyHostCount", ".", ".", ".", ".", { stat = "Maximum" }]]
    },
    {
      title   = "Instances CPU"
      metrics = [["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", var.asg_name, { stat = "Average" }]]
    },
    {
      title   = "DynamoDB capacity and throttles"
      metrics = [["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", var.table_name, { stat = "Sum" }], [".", "ConsumedWriteCapacityUnits", ".", ".", { stat = "Sum" }], [".", "ReadThrottleEvents", ".", ".", { stat = "Sum" }], [".", "WriteThrottleEvents", ".", ".", { stat = "Sum" }], [".", "SystemErrors", ".", ".", { stat = "Sum" }]]
    },
    {
      title   = "Photos bucket errors"
      metrics = [["AWS/S3", "4xxErrors", "BucketName", var.photos_bucket, "FilterId", "EntireBucket", { stat = "Sum" }], [".", "5xxErrors", ".", ".", ".", ".", { stat = "Sum" }]]
    },
  ]
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [for i, w in local.widgets : {
      type   = "metric"
      x      = (i % 2) * 12
      y      = floor(i / 2) * 6
      width  = 12
      height = 6
      properties = {
        title   = w.title
        region  = local.region
        metrics = w.metrics
        period  = 300
        view    = "timeSeries"
      }
    }]
  })
}
