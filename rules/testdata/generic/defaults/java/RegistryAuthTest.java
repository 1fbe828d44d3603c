class RegistryAuthTest {
    private static final String USER = "foo";
    private final String password = "foo:bar";
    private final String otherPassword = "foobar1234";
    private final String realPassword = "barnacle-Qx7";
}
