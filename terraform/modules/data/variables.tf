variable "name" {
  description = "Prefix of every resource's name, e.g. shelf-prod."
  type        = string
}

variable "account_id" {
  description = "AWS account id: makes bucket names globally unique."
  type        = string
}

variable "deletion_protection" {
  description = "Protect the table from deletion and keep the bucket from being destroyed with objects in it (prod)."
  type        = bool
}

variable "app_origin" {
  description = "The app's origin (https://shelf.example.com), the only one allowed to PUT photos from a browser."
  type        = string
}

variable "log_bucket_id" {
  description = "Bucket for S3 server access logs."
  type        = string
}

variable "cloudfront_distribution_arn" {
  description = "The distribution allowed to read photos."
  type        = string
}

variable "table_name" {
  description = "The items table's name; null: <name>-items. Set to a table restored from a point in time (README, Disaster recovery)."
  type        = string
  default     = null
}

variable "noncurrent_days" {
  description = "Days a deleted or overwritten photo stays restorable."
  type        = number
}
