package doubles

const (
	fakeDNSToken   = "9b41e07c2fd853a6e1c07d94b25f3e88"
	fakeTsigSecret = "Jc7Qm2Vx9LpR4tNw8ZyB1s=="
	fakeCsrfToken  = "9b41e07c2fd853a6e1c07d94b25f3e88"
	fakeToken      = "not-a-real-token-value"
)
