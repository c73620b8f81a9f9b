output "table_name" {
  value = aws_dynamodb_table.items.name
}

output "table_arn" {
  value = aws_dynamodb_table.items.arn
}

output "accounts_table_name" {
  value = aws_dynamodb_table.accounts.name
}

output "accounts_table_arn" {
  value = aws_dynamodb_table.accounts.arn
}

output "photos_bucket" {
  value = module.photos.id
}

output "photos_bucket_arn" {
  value = module.photos.arn
}

output "photos_bucket_regional_domain_name" {
  value = module.photos.bucket_regional_domain_name
}

output "kms_key_arn" {
  value = aws_kms_key.main.arn
}
