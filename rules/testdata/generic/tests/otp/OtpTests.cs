public class OtpTests
{
    private readonly Totp totp = new Totp(Base32Encoding.ToBytes("C2FK5EHD7JXQZE3Z"));
    private readonly Totp other = new Totp(KeyGeneration.GenerateRandomKey(20));
}
