"""Django settings for the storefront project.

Every credential comes from the environment or from the secret store;
nothing sensitive is committed here.
"""
import getpass
import os
from pathlib import Path

import environ

env = environ.Env(DEBUG=(bool, False))
BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost"])

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "storefront"),
        "USER": os.environ.get("DB_USER", "storefront"),
        "PASSWORD": os.environ.get("DB_PASSWORD", ""),
        "HOST": os.environ.get("DB_HOST", "localhost"),
        "PORT": 5432,
    }
}

AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
STRIPE_API_KEY = env.str("STRIPE_API_KEY")
SENTRY_DSN = env.str("SENTRY_DSN", default="")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24


def get_token(request):
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not token:
        token = request.COOKIES.get("access_token")
    return token


def prompt_credentials():
    username = input("Username: ")
    password = getpass.getpass("Password: ")
    api_key = os.getenv("STOREFRONT_API_KEY") or getpass.getpass("API key: ")
    client_secret = settings_store.get("oauth", "client_secret")
    return username, password, api_key, client_secret
