variable "db_password" {
  type      = string
  sensitive = true
  default   = "U9xtX15^sww6SKyb^J"
}
variable "db_password_secret_name" {
  default = "prod/orders/db-password"
}
variable "region" {
  default = "eu-west-1"
}
