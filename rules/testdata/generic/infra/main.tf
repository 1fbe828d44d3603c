resource "aws_db_instance" "orders" {
  identifier        = "orders-prod"
  username          = "orders"
  password          = "falcon-Granite-8303?"
}
resource "aws_db_instance" "replica" {
  password          = var.replica_password
  master_password   = random_password.db.result
}
provider "datadog" {
  api_key = "9f34b8760afa02aba08eba3b53f76741"
  app_key = var.datadog_app_key
}
data "aws_secretsmanager_secret_version" "db" { secret_id = "prod/orders/db" }
