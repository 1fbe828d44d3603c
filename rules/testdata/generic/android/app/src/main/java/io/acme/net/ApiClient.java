package io.acme.net;

public final class ApiClient {
    private static final String API_SECRET = "cxlHw7AkvWbg7WApVZnR6DqfETVd5j1N7eWPFlRX";
    private static final String API_KEY_HEADER = "X-Api-Key";
    private static final String API_KEY = BuildConfig.API_KEY;
        dataSource.setPassword("Kestrel_canyon_7942");
        dataSource.setPassword(password);
        String pw = System.getProperty("db.password");
        System.setProperty("javax.net.ssl.keyStorePassword", "@Zpc5?RIpGuK0Q");
        return new PasswordAuthentication("proxy-user", "!Ye6U%amnabf".toCharArray());
        char[] password = console.readPassword("Password: ");
        log.warn("invalid token for user {}", userId);
    @Value("${app.security.token}")
}
