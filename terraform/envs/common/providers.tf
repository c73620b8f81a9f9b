# Shared by every environment's root module (symlinked into each): providers and the
# account-specific inputs (terraform.tfvars), handed to the stack as one `local.deployment`.
# What differs between environments is in each one's main.tf.

provider "aws" {
  region = var.region
  default_tags {
    tags = local.tags
  }
}

# CloudFront's metrics, and so its alarm, exist only in us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
  default_tags {
    tags = local.tags
  }
}

variable "region" {
  description = "The environment's AWS region."
  type        = string
}

variable "domain_name" {
  description = "The app's domain, e.g. shelf.example.com."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate of domain_name in var.region."
  type        = string
}

variable "github_repository" {
  description = "owner/name of the repository that deploys."
  type        = string
}

variable "github_oidc_provider_arn" {
  description = "The account's GitHub OIDC provider, when another environment of the same account created it."
  type        = string
  default     = null
}

variable "initial_release" {
  description = "Release (<version>-<commit>) the first apply installs."
  type        = string
}

variable "alarm_emails" {
  type    = list(string)
  default = []
}

locals {
  deployment = {
    domain_name              = var.domain_name
    certificate_arn          = var.certificate_arn
    github_repository        = var.github_repository
    github_oidc_provider_arn = var.github_oidc_provider_arn
    initial_release          = var.initial_release
    alarm_emails             = var.alarm_emails
  }
}

output "alb_dns_name" {
  value = module.shelf.alb_dns_name
}

output "app_url" {
  value = module.shelf.app_url
}

output "cloudfront_domain" {
  value = module.shelf.cloudfront_domain
}

output "photos_bucket" {
  value = module.shelf.photos_bucket
}

output "artifact_bucket" {
  value = module.shelf.artifact_bucket
}

output "log_bucket" {
  value = module.shelf.log_bucket
}

output "table_name" {
  value = module.shelf.table_name
}

output "asg_name" {
  value = module.shelf.asg_name
}

output "deploy_role_arn" {
  value = module.shelf.deploy_role_arn
}

output "alarm_topic_arn" {
  value = module.shelf.alarm_topic_arn
}
