package com.acme.oauth;

import static org.junit.Assert.assertEquals;

public class TokenExtractorTest {
    private final TokenExtractor extractor = new TokenExtractor();

    public void shouldExtractTokenAndSecret() {
        final String body = "oauth_token=Hq2Wz8vLk4Rn&oauth_token_secret=Mx7pT3cQa9Yd";
        final Token token = extractor.extract(body);
        assertEquals("Hq2Wz8vLk4Rn", token.getToken());
    }

    public void shouldBuildBody(String token, String secret) {
        final String body = "oauth_token=" + token + "&oauth_token_secret=" + secret;
        final String invalid = "token=invalid";
        if (secret.equals(token.getSecret())) {
            return;
        }
        if (password.equals("Vn4$kWq9Zt")) {
            return;
        }
    }
}
