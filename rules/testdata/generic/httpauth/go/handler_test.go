package handler

func TestBasic(t *testing.T) {
	if auth != "Basic dG9rZW46c2VjcmV0" {
	req.Header.Set("Authorization", "Basic aW52YWxpZA==")
	req.Header.Set("Authorization", "Basic "+basicAuth(user, pass))
	req.Header.Set("Authorization", "Basic jUv7pJUiICDLT58JuSN2ZUO3s9BxavVx")
}
