# prod: deletion protection on the table, the load balancer and the buckets' contents, a
# year of logs, a month to restore a deleted photo.

terraform {
  required_version = ">= 1.6"
  backend "s3" {
    key            = "shelf/prod/terraform.tfstate"
    encrypt        = true
    dynamodb_table = "shelf-terraform-locks"
  }
}

locals {
  tags = { Project = "shelf", Environment = "prod" }
}

module "shelf" {
  source    = "../../modules/stack"
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  environment = "prod"
  deployment  = local.deployment

  deletion_protection = true
  vpc_cidr            = "10.42.0.0/16"
  instance_type       = "t3.small"
  min_size            = 2
  # 5 000 concurrent users of the site mix make ~5 000 requests/s: 10 instances at the
  # 500 requests/s each that target tracking keeps them at (docs/load.md "Capacity").
  max_size            = 10
  log_retention_days  = 365
  photo_version_days  = 30
}
