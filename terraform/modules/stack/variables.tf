variable "environment" {
  description = "dev, staging or prod: prefixes every name (shelf-<environment>-...)."
  type        = string
  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "domain_name" {
  description = "The app's domain (point it at the ALB: output alb_dns_name)."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate for domain_name, in the environment's region."
  type        = string
}

variable "github_repository" {
  description = "owner/name of the repository whose deploy workflow may deploy here."
  type        = string
}

variable "github_oidc_provider_arn" {
  description = "The account's GitHub OIDC provider if another environment already created it."
  type        = string
  default     = null
}

variable "initial_release" {
  description = "Release (<version>-<commit>) installed by the first apply; upload it first (README)."
  type        = string
}

variable "deletion_protection" {
  type = bool
}

variable "vpc_cidr" {
  type    = string
  default = "10.40.0.0/16"
}

variable "single_az_endpoints" {
  type    = bool
  default = false
}

variable "instance_type" {
  type    = string
  default = "t3.small"
}

variable "min_size" {
  type    = number
  default = 2
}

variable "max_size" {
  type    = number
  default = 6
}

variable "drain_seconds" {
  type    = number
  default = 30
}

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "items_table_name" {
  description = "null: shelf-<environment>-items; a restored table's name after a point-in-time recovery."
  type        = string
  default     = null
}

variable "photo_version_days" {
  description = "Days a deleted or overwritten photo stays restorable."
  type        = number
  default     = 30
}

variable "cloudfront_price_class" {
  type    = string
  default = "PriceClass_100"
}

variable "alarm_emails" {
  type    = list(string)
  default = []
}
