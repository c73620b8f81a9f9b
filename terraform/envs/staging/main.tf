# staging: prod's shape and sizes, so a release is rehearsed on what it will meet; data is
# disposable (no deletion protection).

terraform {
  required_version = ">= 1.6"
  backend "s3" {
    key            = "shelf/staging/terraform.tfstate"
    encrypt        = true
    dynamodb_table = "shelf-terraform-locks"
  }
}

locals {
  tags = { Project = "shelf", Environment = "staging" }
}

module "shelf" {
  source    = "../../modules/stack"
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  environment = "staging"
  deployment  = local.deployment

  deletion_protection = false
  vpc_cidr            = "10.41.0.0/16"
  instance_type       = "t3.small"
  min_size            = 2
  max_size            = 4
  log_retention_days  = 30
}
