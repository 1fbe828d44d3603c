class AuthTest {
    void ok() { assertThat(client.withHeader("Authorization", "BASIC dG9tOnNlY3JldA==").statusCode(), is(200)); }
    void empty() { send("Authorization", "Basic dXNlcjo="); }
}
