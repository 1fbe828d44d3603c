package com.acme.crypto;

final class Keys {
    static final String CA_KEY = "-----BEGIN PRIVATE KEY-----\n"
        + "MIIEowIBAAKCAQEAnTwr5rYmxzxtjFKKwnHAgMwgSfA+fkCAMF8Boh9VfhNuFuOD\n"
        + "YD4rEu5LEklW6MN2Uib2Jr5ETmLdU+uTg6Ekbxry0cHj+6egxuXLQTw3NoveXta6\n"
        + "b2BF8RROZ/jopTThUAMJ3pGVD1qspn1nbJxCsE1z5MXwKcBqNjA12ly84LXxMjrD\n"
        + "otdhEnSoMlq4gMgg8JV7vHHQpRYhPOBvxGQ6r2ZgfFXa37HLPVPzYu422yx+AnkZ\n"
        + "aN/6pnsZ9f4vfwdDeCEyKEElCds=\n"
        + "-----END PRIVATE KEY-----";

    static String wrap(String body) {
        return "-----BEGIN PRIVATE KEY-----\n"
            + body
            + "-----END PRIVATE KEY-----";
    }
}
