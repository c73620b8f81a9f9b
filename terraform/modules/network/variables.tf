variable "name" {
  description = "Prefix of every resource's name, e.g. shelf-prod."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's address range; split into 16 subnets, 2 public and 2 private used."
  type        = string
}

variable "bucket_arns" {
  description = "Buckets the instances may reach through the S3 gateway endpoint."
  type        = list(string)
}

variable "flow_log_bucket_arn" {
  description = "Bucket receiving VPC flow logs."
  type        = string
}

variable "availability_zones" {
  description = "The two AZs to use; empty: the region's a and b."
  type        = list(string)
  default     = []
  validation {
    condition     = length(var.availability_zones) == 0 || length(var.availability_zones) == 2
    error_message = "Give exactly two availability zones, or none."
  }
}

variable "single_az_endpoints" {
  description = "Interface endpoints in one AZ only (halves their cost; dev). Instances in the other AZ reach them across AZs."
  type        = bool
}
