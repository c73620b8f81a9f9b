variable "name" {
  description = "Prefix of every resource's name, e.g. shelf-prod."
  type        = string
}

variable "bucket_regional_domain_name" {
  description = "The photos bucket's regional domain name (the origin)."
  type        = string
}

variable "price_class" {
  description = "CloudFront price class: PriceClass_100 (North America, Europe) is the cheapest."
  type        = string
}
