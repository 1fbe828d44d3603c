class Keys {
    final String knownGeneratedKey = "XND6tsPhqO1vb4d5MvgD5TPGMevA";
    final String publicKey = "/pIFhjwYtNyz9TeqIRowcRqBHeFSY72Ive/3Fq2/4bQ=";
    final String key = "shortkey1";
}
