variable "db_password" {
  type      = string
  sensitive = true
}

data "vault_generic_secret" "cloudflare" {
  path = "secret/infra/cloudflare"
}

provider "cloudflare" {
  api_token = data.vault_generic_secret.cloudflare.data["token"]
}

resource "aws_db_instance" "storefront" {
  identifier          = "storefront"
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  username            = "storefront"
  password            = var.db_password
  skip_final_snapshot = true
}

resource "aws_secretsmanager_secret" "api_token" {
  name = "storefront/api-token"
}
