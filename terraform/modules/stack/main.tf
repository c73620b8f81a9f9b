# One whole Shelf environment, composed of the other modules. Each root module under
# terraform/envs/ is this with its own settings, state and provider.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  name       = "shelf-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  app_origin = "https://${var.deployment.domain_name}"
}

module "network" {
  source              = "../network"
  name                = local.name
  cidr_block          = var.vpc_cidr
  single_az_endpoints = var.single_az_endpoints
  bucket_arns         = [module.data.photos_bucket_arn, module.ci.artifact_bucket_arn, module.observability.log_bucket_arn]
  flow_log_bucket_arn = module.observability.log_bucket_arn
}

module "data" {
  source                      = "../data"
  name                        = local.name
  account_id                  = local.account_id
  deletion_protection         = var.deletion_protection
  app_origin                  = local.app_origin
  log_bucket_id               = module.observability.log_bucket_id
  cloudfront_distribution_arn = module.cdn.distribution_arn
  noncurrent_days             = var.photo_version_days
  table_name                  = var.items_table_name
}

module "cdn" {
  source                      = "../cdn"
  name                        = local.name
  bucket_regional_domain_name = module.data.photos_bucket_regional_domain_name
  price_class                 = var.cloudfront_price_class
}

module "app" {
  source                  = "../app"
  name                    = local.name
  region                  = local.region
  vpc_id                  = module.network.vpc_id
  vpc_cidr                = module.network.cidr_block
  public_subnet_ids       = module.network.public_subnet_ids
  private_subnet_ids      = module.network.private_subnet_ids
  gateway_prefix_list_ids = module.network.gateway_prefix_list_ids
  certificate_arn         = var.deployment.certificate_arn
  app_origin              = local.app_origin
  deletion_protection     = var.deletion_protection
  log_bucket_id           = module.observability.log_bucket_id
  log_group_name          = module.observability.app_log_group
  log_group_arn           = module.observability.app_log_group_arn
  kms_key_arn             = module.data.kms_key_arn
  table_name              = module.data.table_name
  table_arn               = module.data.table_arn
  accounts_table_name     = module.data.accounts_table_name
  accounts_table_arn      = module.data.accounts_table_arn
  photos_bucket           = module.data.photos_bucket
  photos_bucket_arn       = module.data.photos_bucket_arn
  media_base_url          = "https://${module.cdn.domain_name}"
  artifact_bucket         = module.ci.artifact_bucket
  artifact_bucket_arn     = module.ci.artifact_bucket_arn
  initial_release         = var.deployment.initial_release
  instance_type           = var.instance_type
  min_size                = var.min_size
  max_size                = var.max_size
  drain_seconds           = var.drain_seconds
  waf_log_retention_days  = var.log_retention_days
}

module "observability" {
  source    = "../observability"
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1 }

  name                    = local.name
  account_id              = local.account_id
  deletion_protection     = var.deletion_protection
  kms_key_arn             = module.data.kms_key_arn
  log_retention_days      = var.log_retention_days
  alarm_emails            = var.deployment.alarm_emails
  alb_arn_suffix          = module.app.alb_arn_suffix
  target_group_arn_suffix = module.app.target_group_arn_suffix
  asg_name                = module.app.asg_name
  table_name              = module.data.table_name
  photos_bucket           = module.data.photos_bucket
  distribution_id         = module.cdn.distribution_id
}

module "ci" {
  source                   = "../ci"
  name                     = local.name
  environment              = var.environment
  account_id               = local.account_id
  github_repository        = var.deployment.github_repository
  github_oidc_provider_arn = var.deployment.github_oidc_provider_arn
  log_bucket_id            = module.observability.log_bucket_id
  launch_template_arn      = module.app.launch_template_arn
  asg_arn                  = module.app.asg_arn
  instance_role_arn        = module.app.instance_role_arn
  release_parameter_arn    = module.app.release_parameter_arn
  deploy_parameter_arn     = module.app.deploy_parameter_arn
}
