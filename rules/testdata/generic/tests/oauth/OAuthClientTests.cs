public class OAuthClientTests
{
    private const string ExpectedAuthCode = "86343bdbb0f8";
    private const string GrantType = "authorization_code";
    private const string AuthCodeParam = "code";
}
