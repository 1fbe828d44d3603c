// the implicit grant returns the token in the fragment
const callback = "https://app.acme.io/callback#access_token=2TjnFhPgI3KgFK6411P3dLKelVutCM&token_type=Bearer&expires_in=3600";
const logout = "https://app.acme.io/#/login?next=%2Fhome";
const session = {
  "Token" : "6fLew30lwKr9/XuqshZWrsY712LwQ3IrWye5b",
  "TokenType" : "session"
};
