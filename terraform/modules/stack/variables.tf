variable "environment" {
  description = "dev, staging or prod: prefixes every name (shelf-<environment>-...)."
  type        = string
  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "deployment" {
  description = <<-EOT
    The account's side of the environment, from its terraform.tfvars: the app's domain (point
    it at the ALB: output alb_dns_name) and its ACM certificate in the environment's region;
    owner/name of the repository whose deploy workflow may deploy here; the account's GitHub
    OIDC provider if another environment already created it; the release (<version>-<commit>)
    the first apply installs (upload it first, README); addresses for the alarms.
  EOT
  type = object({
    domain_name              = string
    certificate_arn          = string
    github_repository        = string
    github_oidc_provider_arn = optional(string)
    initial_release          = string
    alarm_emails             = optional(list(string), [])
  })
}

variable "deletion_protection" {
  type = bool
}

variable "vpc_cidr" {
  description = "The VPC's address range; split into 16 subnets, 2 public and 2 private used."
  type        = string
  default     = "10.40.0.0/16"
}

variable "single_az_endpoints" {
  description = "Interface endpoints in one AZ only: half their cost (dev); the other AZ reaches them across AZs."
  type        = bool
  default     = false
}

variable "instance_type" {
  description = "EC2 type of the app's instances."
  type        = string
  default     = "t3.small"
}

variable "min_size" {
  description = "Fewest instances: at least one per AZ, so an AZ's loss leaves one serving."
  type        = number
  default     = 2
  validation {
    condition     = var.min_size >= 2
    error_message = "min_size must be at least 2 (one instance per availability zone)."
  }
}

variable "max_size" {
  description = "Most instances scaling may start."
  type        = number
  default     = 6
}

variable "drain_seconds" {
  description = "The ALB's deregistration delay and the app's SHELF_DRAIN_SECS."
  type        = number
  default     = 30
}

variable "log_retention_days" {
  description = "Days the app's, the WAF's and the access logs are kept."
  type        = number
  default     = 30
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
  description = "CloudFront price class: PriceClass_100 (North America, Europe) is the cheapest."
  type        = string
  default     = "PriceClass_100"
}
