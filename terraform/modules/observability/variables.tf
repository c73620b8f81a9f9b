variable "name" {
  description = "Prefix of every resource's name, e.g. shelf-prod."
  type        = string
}

variable "account_id" {
  description = "AWS account id: makes the log bucket's name globally unique."
  type        = string
}

variable "deletion_protection" {
  description = "Keep the log bucket from being destroyed with logs in it (prod)."
  type        = bool
}

variable "kms_key_arn" {
  description = "The environment's KMS key, encrypting the log group and the alarm topic."
  type        = string
}

variable "log_retention_days" {
  description = "Days the app's logs and the access logs are kept."
  type        = number
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topics (each must confirm by email)."
  type        = list(string)
  default     = []
}

variable "alb_arn_suffix" {
  type = string
}

variable "target_group_arn_suffix" {
  type = string
}

variable "asg_name" {
  type = string
}

variable "table_name" {
  type = string
}

variable "photos_bucket" {
  type = string
}

variable "distribution_id" {
  type = string
}

variable "p95_latency_seconds" {
  description = "Alarm when the targets' 95th percentile response time is above this."
  type        = number
  default     = 1
}

variable "s3_4xx_per_5_minutes" {
  description = "Alarm when the photos bucket answers more 4xx than this in 5 minutes."
  type        = number
  default     = 50
}
