variable "name" {
  description = "The bucket's (globally unique) name."
  type        = string
}

variable "force_destroy" {
  description = "Let terraform destroy the bucket with objects in it (not in prod)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "Encrypt with this KMS key; null: S3-managed keys (AES-256)."
  type        = string
  default     = null
}

variable "log_bucket_id" {
  description = "Where its access logs go (under s3/<name>/); null: none (the log bucket itself)."
  type        = string
  default     = null
}

variable "policy_documents" {
  description = "Policy JSON documents merged with the TLS-only statement (who else may do what)."
  type        = list(string)
  default     = []
}

variable "lifecycle_rules" {
  description = "Expiry rules: objects under `prefix` (null: all) after expire_days, old versions after noncurrent_days. Incomplete multipart uploads are always aborted after a day."
  type = list(object({
    id              = string
    prefix          = optional(string)
    expire_days     = optional(number)
    noncurrent_days = optional(number)
  }))
}
