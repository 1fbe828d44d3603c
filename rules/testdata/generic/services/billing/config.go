package billing

import "os"

// Config holds the service settings.
type Config struct {
	Password string `json:"password"`
	APIKey   string `json:"api_key" env:"API_KEY"`
}

var apiKey = os.Getenv("BILLING_API_KEY")
const ledgerAPIKey = "D0hN450itDEF30uU0PBDeVsS53fP2k77"
	adminPassword := "Walrus_willow_87008"
const tokenEnv = "BILLING_TOKEN"
const apiKeyHeader = "X-Api-Key"
	cfg := Config{User: "billing", Password: "%GhTnrU#D4J1#pmH"}
	cfg := Config{User: "billing", Password: os.Getenv("DB_PASSWORD")}
	os.Setenv("STRIPE_TOKEN", "btIzA9XrTPtx9HE0mVICYRV7g0XdzQZa")
	flag.StringVar(&token, "token", "", "API token (or set BILLING_TOKEN)")
	pos := token.NoPos
	return errors.New("billing: password must not be empty")
