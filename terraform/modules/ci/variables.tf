variable "name" {
  description = "Prefix of every resource's name, e.g. shelf-prod."
  type        = string
}

variable "environment" {
  description = "dev, staging or prod: the GitHub environment allowed to assume the deploy role."
  type        = string
}

variable "account_id" {
  type = string
}

variable "github_repository" {
  description = "owner/name of the repository whose workflows may deploy."
  type        = string
}

variable "github_oidc_provider_arn" {
  description = "An existing GitHub OIDC provider of this account; null creates one."
  type        = string
  default     = null
}

variable "log_bucket_id" {
  type = string
}

variable "release_retention_days" {
  type    = number
  default = 180
}

variable "launch_template_arn" {
  type = string
}

variable "asg_arn" {
  type = string
}

variable "instance_role_arn" {
  type = string
}

variable "release_parameter_arn" {
  type = string
}

variable "deploy_parameter_arn" {
  type = string
}
