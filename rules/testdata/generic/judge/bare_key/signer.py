import hmac
key = "91f36bdd375b328085fcc3d9152fb9847bb47294342e089498b3823ca542940b"
cache_key = "user_profile_d281b102"
key = "orders-by-customer"
primary_key = "d281b102c9bb76fed167c24d4957451b"
