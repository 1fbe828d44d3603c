# settings per environment
API_KEY_PROD = "748AitdtcOhlUQn8cnQK5xyfBfU3v10z"
GITHUB_TOKEN_V2 = "ghx_COWYYys3sJvJpKvJl7GI8NLr57yKEB"
access_token_value = "BNq9ss0q9pXu0J92RLaOS8szCQ2ZdghyTA6i"
token_type_value = "bearer-token-type"
API_KEY_DEV = os.environ.get("API_KEY_DEV")
