# Remote state for every environment, created once per account with local state:
#   cd terraform/bootstrap && terraform init && terraform apply -var region=eu-west-1
# Then write its outputs to terraform/envs/backend.hcl (see backend.hcl.example).

terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

variable "region" {
  description = "Region of the state bucket and the lock table."
  type        = string
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = "shelf", Environment = "shared" }
  }
}

data "aws_caller_identity" "current" {}

# Never destroyed with states in it (no force_destroy). State holds the upload secret: it is
# encrypted with the key below, and every version ever written is kept a year.
module "state" {
  # checkov:skip=CKV_AWS_300: the module's static first rule aborts incomplete multipart uploads after a day; for this one call checkov renders the dynamic rules in place of it (its rule list holds only old-states), while the other three calls pass
  source      = "../modules/private_bucket"
  name        = "shelf-tfstate-${data.aws_caller_identity.current.account_id}"
  kms_key_arn = aws_kms_key.state.arn
  lifecycle_rules = [
    { id = "old-states", noncurrent_days = 365 },
  ]
}

resource "aws_kms_key" "state" {
  description         = "Terraform state of every Shelf environment"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.state_key.json
}

data "aws_iam_policy_document" "state_key" {
  # checkov:skip=CKV_AWS_111: a key policy's "*" resource is the key itself; the account root statement is AWS's default, delegating use to IAM
  # checkov:skip=CKV_AWS_109: as above: key administration stays with the account, through IAM
  # checkov:skip=CKV_AWS_356: as above: in a key policy, "*" can only mean this key
  statement {
    sid       = "Account"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_dynamodb_table" "locks" {
  name         = "shelf-terraform-locks"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "LockID"

  attribute {
    name = "LockID"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.state.arn
  }

  deletion_protection_enabled = true
}

output "state_bucket" {
  value = module.state.id
}

output "lock_table" {
  value = aws_dynamodb_table.locks.name
}

output "region" {
  value = var.region
}

output "state_key_arn" {
  value = aws_kms_key.state.arn
}
