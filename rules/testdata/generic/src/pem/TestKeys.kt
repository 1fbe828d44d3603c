package com.acme.crypto

object TestKeys {
    const val SIGNING_KEY: String = (
        "-----BEGIN RSA PRIVATE KEY-----\n" +
            "MIIEowIBAAKCAQEAhWrOTfVdSizEtLSKqUcc6gY/YtC/a0DcgM1Ro9iv8blmI/+N\n" +
            "DyPQyuAyJuG0iI/N9K81VIof4bejEU9oFIHw23mj/5kkrs9o0IHrVgRuX5IN5cC9\n" +
            "Wgz1el+UxgHeZz0djjb1P4b1XA5EEMlGMb+a1I6IjeYhQKhO6llRK1UY6JOUyEVV\n" +
            "AgzA/VkEd75FeaINujJPQhO//LfofAWekIavI2d8u/P1+pfRZC4y/kD1Jq0c6DYM\n" +
            "1/mJTs7j61DPUAwp7WsXsMVP1kCo/2d6E4oVi6L6PTmI9UOTKc1LDLnjfJZk03w4\n" +
            "jWiEoHET93XANzp7UdEw+F2ZB/a+k5GEbA3k1VT2lCvu9o47nFBeLP/4wTZNb1ty\n" +
            "lxeEG4UCMfGT5rSNwy1zdnLbgSOJjHlz\n" +
            "-----END RSA PRIVATE KEY-----"
    )

    const val VERIFY_KEY: String = (
        "-----BEGIN PUBLIC KEY-----\n" +
            "MIIEowIBAAKCAQEAA0tDL/wC0+Z3VsBUNg1EGYSqswMHHHi1502cNP7HGcfo0db8\n" +
            "BnSJ0sLsON6mB9lmyx9t9A69ig8w+YlDRFtY8IuU0f/5amfpAYbA/lYUwb/Uywig\n" +
            "u91IU1IeVSCJ1j7sftJIcR9BPxKua0+vM3tdIDaB/PnJkibISxVvcIflY8eFmsLm\n" +
            "J6mPJCqWiO9Rfs3f4Uj07mgQ\n" +
            "-----END PUBLIC KEY-----"
    )
}
