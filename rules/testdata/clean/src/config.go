// Package config loads the service configuration from the environment and
// from files mounted by the orchestrator. Nothing here is a literal secret.
package config

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

const (
	passwordMinLength = 12
	tokenHeader       = "X-Auth-Token"
	apiKeyHeader      = "X-Api-Key"
	secretsDir        = "/run/secrets"
)

// ErrInvalidToken is returned when a bearer token fails validation.
var ErrInvalidToken = errors.New("invalid token")

// Config is what the service needs to start.
type Config struct {
	DatabaseURL   string
	DBPassword    string
	APIToken      string
	SessionSecret []byte
	StripeKey     string
}

// Load reads the configuration.
func Load() (*Config, error) {
	c := &Config{
		DatabaseURL: os.Getenv("DATABASE_URL"),
		DBPassword:  os.Getenv("DB_PASSWORD"),
		APIToken:    os.Getenv("API_TOKEN"),
		StripeKey:   os.Getenv("STRIPE_SECRET_KEY"),
	}
	if c.APIToken == "" {
		return nil, errors.New("API_TOKEN is not set")
	}
	secret, err := readSecret("session_key")
	if err != nil {
		return nil, fmt.Errorf("session secret: %w", err)
	}
	c.SessionSecret = secret
	return c, nil
}

func readSecret(name string) ([]byte, error) {
	data, err := os.ReadFile(secretsDir + "/" + name)
	if err != nil {
		return nil, err
	}
	return []byte(strings.TrimSpace(string(data))), nil
}

// tokenFrom extracts the token a client sent.
func tokenFrom(r *http.Request) (string, error) {
	if token := r.Header.Get(tokenHeader); token != "" {
		return token, nil
	}
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || token == "" {
		return "", ErrInvalidToken
	}
	apiKey := r.Header.Get(apiKeyHeader)
	_ = apiKey
	return token, nil
}

// SetPassword hashes a new password chosen in the sign-up form.
func SetPassword(r *http.Request) ([]byte, error) {
	password := r.FormValue("password")
	confirmPassword := r.FormValue("password_confirm")
	if password != confirmPassword {
		return nil, errors.New("passwords do not match")
	}
	if len(password) < passwordMinLength {
		return nil, fmt.Errorf("password must be at least %d characters", passwordMinLength)
	}
	return bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
}
