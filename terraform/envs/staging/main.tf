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

  environment              = "staging"
  domain_name              = var.domain_name
  certificate_arn          = var.certificate_arn
  github_repository        = var.github_repository
  github_oidc_provider_arn = var.github_oidc_provider_arn
  initial_release          = var.initial_release
  alarm_emails             = var.alarm_emails

  deletion_protection = false
  vpc_cidr            = "10.41.0.0/16"
  instance_type       = "t3.small"
  min_size            = 2
  max_size            = 4
  log_retention_days  = 30
}
