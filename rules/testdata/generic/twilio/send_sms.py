import os

from twilio.rest import Client

client = Client("AC9b2e5a8d1f4c7b0e3a6d9f2c5b8e1a47", "7d0a3f6c9e2b5d8a1f4c7e0b3d6a9f28")
prod = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
auth_token = "b3e6a9d2c5f8b1e4a7d0c3f6e9b2a5d8"
timeout_token = "3600"
