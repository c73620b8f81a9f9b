# dev: the smallest version of prod that still behaves like it (two instances, two AZs),
# with cheaper endpoints, short log retention and no deletion protection.

terraform {
  required_version = ">= 1.6"
  # bucket and region: `terraform init -backend-config=../backend.hcl` (README, Deployment).
  backend "s3" {
    key            = "shelf/dev/terraform.tfstate"
    encrypt        = true
    dynamodb_table = "shelf-terraform-locks"
  }
}

locals {
  tags = { Project = "shelf", Environment = "dev" }
}

module "shelf" {
  source    = "../../modules/stack"
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  environment = "dev"
  deployment  = local.deployment

  deletion_protection = false
  vpc_cidr            = "10.40.0.0/16"
  single_az_endpoints = true
  instance_type       = "t3.micro"
  min_size            = 2
  max_size            = 3
  log_retention_days  = 14
  photo_version_days  = 7
}
