variable "name" {
  description = "Prefix of every resource's name, e.g. shelf-prod."
  type        = string
}

variable "region" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr" {
  type = string
}

variable "public_subnet_ids" {
  type = list(string)
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "gateway_prefix_list_ids" {
  description = "Prefix lists of the S3 and DynamoDB gateway endpoints (the instances' only way out besides the VPC)."
  type        = list(string)
}

variable "certificate_arn" {
  description = "ACM certificate for the HTTPS listener (the app's domain)."
  type        = string
}

variable "app_origin" {
  description = "https://<the app's domain>: smoke tests and CORS."
  type        = string
}

variable "deletion_protection" {
  type = bool
}

variable "log_bucket_id" {
  type = string
}

variable "log_group_name" {
  type = string
}

variable "log_group_arn" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "table_name" {
  type = string
}

variable "table_arn" {
  type = string
}

variable "accounts_table_name" {
  type = string
}

variable "accounts_table_arn" {
  type = string
}

variable "anonymous_access" {
  description = "SHELF_ANONYMOUS_ACCESS: what visitors without credentials may do in the anonymous collection (none, read, edit)."
  type        = string
  default     = "none"
  validation {
    condition     = contains(["none", "read", "edit"], var.anonymous_access)
    error_message = "anonymous_access must be none, read or edit."
  }
}

variable "sign_up" {
  description = "SHELF_SIGN_UP: who may create an account (invite: with an owner's invite link; open: anyone, owning a new collection)."
  type        = string
  default     = "invite"
  validation {
    condition     = contains(["invite", "open"], var.sign_up)
    error_message = "sign_up must be invite or open."
  }
}

variable "photos_bucket" {
  type = string
}

variable "photos_bucket_arn" {
  type = string
}

variable "media_base_url" {
  description = "https://<CloudFront domain>: SHELF_MEDIA_BASE_URL."
  type        = string
}

variable "artifact_bucket" {
  type = string
}

variable "artifact_bucket_arn" {
  type = string
}

variable "initial_release" {
  description = "Release (<version>-<commit>) the first apply installs; later releases are the deploy workflow's."
  type        = string
}

variable "architecture" {
  description = "x86_64 (arm64 needs an aarch64 release artifact)."
  type        = string
  default     = "x86_64"
}

variable "instance_type" {
  type = string
}

variable "min_size" {
  type = number
}

variable "max_size" {
  type = number
}

# 500 requests/s per instance: what a t3.small (2 vCPU, 20 % baseline each) serves of the seed
# mix without spending CPU credits, at 0.8 ms of CPU per request (measured: 0.6 ms on the AWS
# backend, plus TLS to DynamoDB). See docs/load.md "Capacity".
variable "requests_per_target" {
  description = "Target-tracking goal: ALB requests per instance per minute."
  type        = number
  default     = 30000
}

variable "app_port" {
  type    = number
  default = 8080
}

variable "drain_seconds" {
  description = "ALB deregistration delay and the app's SHELF_DRAIN_SECS."
  type        = number
}

variable "health_check_grace_seconds" {
  description = "Time for a new instance to boot, install and pass /readyz."
  type        = number
  default     = 180
}

variable "requests_per_address_per_5_minutes" {
  description = "The web ACL blocks an address sending more than this in 5 minutes."
  type        = number
  default     = 3000
}

variable "waf_log_retention_days" {
  type = number
}
