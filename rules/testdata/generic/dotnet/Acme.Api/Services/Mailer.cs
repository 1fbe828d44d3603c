namespace Acme.Api.Services;

public class Mailer
{
    private readonly NetworkCredential _cred = new NetworkCredential("mailer@acme.io", "falcon-Badger-7878!");
    var cred = new NetworkCredential(_opts.User, _opts.Password);
    public string ApiKey { get; set; } = "TEKpJTdjjuneImWG7f2uTYKstLLYpoaf";
    var key = _configuration["SendGrid:ApiKey"];
    var token = Environment.GetEnvironmentVariable("MAILER_TOKEN");
    { "ClientSecret", "mMleWVFe48x25f9hVvbVcl1A2ufeV13dNNtMbe7o" },
    { "ClientSecretName", "mailer-client-secret" },
    /// <param name="password">The SMTP password.</param>
}
