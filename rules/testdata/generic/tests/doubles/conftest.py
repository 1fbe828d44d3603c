MOCK_API_KEY = "Qv8rT2mZx6LkW9pN4sHb7Jc3"
DUMMY_SECRET = "dummy-secret"
mock_tokenizer = "Qv8rT2mZx6LkW9pN4sHb7Jc3"
