"""Quick start: send a message with the Acme client."""
client = acme.Client(api_key="YOUR_API_KEY")
client = acme.Client(api_key=os.environ["ACME_API_KEY"])
client = acme.Client(api_key="7Cc2KlsL7xwsggczfmprwMBaf03uySrS")
client = acme.Client(api_key="sk-test-1234567890abcdef")
