import requests
from requests.auth import HTTPBasicAuth

AUTH = HTTPBasicAuth("payments-svc", "Copper13*falcon")
resp = requests.get(url, auth=("reporter", "xrrjtj~Vmd4xI0z"), timeout=10)
resp = requests.get(url, auth=(user, password), timeout=10)

class Client:
    def __init__(self, api_key=None, password=None):
        self.api_key = api_key
        self.password = password or os.environ["PAYMENTS_PASSWORD"]
        self.token = os.environ.get("PAYMENTS_TOKEN", "SJ2km14IKCzi2Eg3h0p54qGzTYdXt5yN84Bl")
        self.header = "X-Api-Key"

    def refresh(self):
        token = self._fetch_token(scope="payments:write")
        self.session.headers["Authorization"] = f"Bearer {token}"
        log.info(f"refreshed token {token[:4]}…")

WEBHOOK_SECRET = b"3WWWqWibY6PFcv7DJzk3i8ju6BRoQowF"
nonce = secrets.token_hex(16)
secret = secrets.token_urlsafe(32)
password = getpass.getpass("Password: ")
if password == EXPECTED_PASSWORD:
conn = psycopg2.connect(host=host, user=user, password=db_password)
conn = psycopg2.connect(host="10.0.3.12", user="etl", password="velvet-Juniper-3662#")
def login(username: str, password: str) -> Token:
    """Log in with the password and return an access token."""
