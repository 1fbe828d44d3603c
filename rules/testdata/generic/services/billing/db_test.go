package billing

	dsn := "host=pg-ci.internal user=ci password=O%kJ9C%1hnsSSIIp dbname=billing sslmode=disable"
	const testPassword = "test1234"
	token := "aaaaaaaaaaaaaaaaaaaaaaaa"
	apiKey := "fake-api-key-for-tests"
	secret := "mock-secret-value"
