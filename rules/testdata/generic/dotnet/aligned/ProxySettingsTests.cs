namespace Acme.Tests
{
    public class ProxySettingsTests
    {
        const string proxyUser   = "svc-proxy";
        const string proxyPass   = "Wq8#vLz2Rk";
        const string proxyHost   = "proxy.acme.io";
        const string emptyPass   = "";
    }
}
