# Account-specific values: replace before the first apply (README, Deployment).
region            = "eu-west-1"
domain_name       = "staging.shelf.example.com"
certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
github_repository = "example/shelf"
initial_release   = "0.1.0-000000000000"
alarm_emails      = []
