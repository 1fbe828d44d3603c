PASSWORD_REGEX = r"^(?=.*[A-Z])(?=.*\d)(?=.*[^\w\s]).{12,}$"
PASSWORD_MIN_LENGTH = 12
PASSWORD_TOO_SHORT = "Password must be at least 12 characters long."
SENSITIVE_FIELDS = ("password", "token", "api_key", "secret")
MASK = "********"
SAMPLE_LOG = {"user": "ops", "password": "[REDACTED]"}
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9]{32}")
API_KEY_HEADER = "X-Api-Key"
TOKEN_ENV_VAR = "ACME_API_TOKEN"
DEFAULT_PASSWORD = None
