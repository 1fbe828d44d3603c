import os

ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "welcome1")
DB_PASSWORD = os.environ.get("DB_PASSWORD")
SMTP_PASSWORD = os.getenv("SMTP_PASSWORD", "")
PASSWORD_FILE = os.environ.get("PASSWORD_FILE", "/run/secrets/db")
