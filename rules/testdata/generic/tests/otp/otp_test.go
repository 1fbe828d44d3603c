package otp

func TestCode(t *testing.T) {
	code, _ := totp.GenerateCode("OLVA7PTRGJKMU66P", time.Now())
	ok := totp.Validate(code, secret)
	_, _ = code, ok
}
