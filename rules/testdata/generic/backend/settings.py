"""Django settings for the billing backend."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = 'django-insecure-0ib%yyurl65b4kj!)(4hbi6jlvhk_p-!*^o2drvauk7v(w#zzu'
DEBUG = False
ALLOWED_HOSTS = ["billing.acme.io", "localhost"]
AUTH_USER_MODEL = 'accounts.User'
AUTH_PASSWORD_VALIDATORS = [{'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'}]
PASSWORD_RESET_TIMEOUT = 259200
CSRF_COOKIE_NAME = 'csrftoken'
SESSION_COOKIE_NAME = 'billing_session'
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'billing',
        'USER': 'billing_app',
        'PASSWORD': 'pepper-Juniper-5742#',
        'HOST': 'db-prod.internal',
        'PORT': '5432',
    },
    'replica': {
        'PASSWORD': os.environ['REPLICA_DB_PASSWORD'],
        'HOST': os.environ.get('REPLICA_HOST', ''),
    },
}
EMAIL_HOST_PASSWORD = '^!I4k9GvvK9JkmW3'
EMAIL_HOST_USER = 'noreply@acme.io'
PAYMENTS_API_KEY = "pk_srv_Q8DEoFogNCAI3Ao3pxTnHyf6t5YdIngB"
PAYMENTS_PUBLISHABLE_KEY = "pk_test_xxxxxxxxxxxxxxxxxxxxxxxx"
SENDGRID_API_KEY = os.getenv('SENDGRID_API_KEY')
AWS_SECRET_ACCESS_KEY = "aVbVJBMQKnY8qS0BFn7BwpkZ01BZGa/G7yOh3FZ9"
AWS_STORAGE_BUCKET_NAME = "acme-billing-uploads"
AWS_S3_REGION_NAME = "eu-west-1"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
ACCESS_TOKEN_LIFETIME_MINUTES = 15
OAUTH_TOKEN_URL = "https://auth.acme.io/oauth/token"
OAUTH_CLIENT_SECRET = "NoDxQshIISj3bb5642ldGDinouxZjugnDD57Nb5s"
OAUTH_CLIENT_ID = "billing-backend"
SENTRY_DSN = os.environ.get('SENTRY_DSN')
