package auth

const signingKeyID = "c432e085-3d0e-fb3f-db5b-e7c0664b18a4"
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
const issuer = "https://auth.acme.io"
const publicKeyType = "PUBLIC KEY"

var buildCommit = "9dd3fe9ad06b7744a5ad75c5b97b2900b9ccaa2f"

const (
	tokenAccess  = "access"
	tokenRefresh = "refresh"
)

var hmacKey = mustLoadKey("HMAC_KEY")
var hmacSecret = []byte("JsCZmTxjlboza2ykGUos3Vy6fYwYSTX4cio6wAep")
var errNoSecret = errors.New("auth: signing secret is not configured")
var tokenTypes = map[string]string{"bearer": "Bearer", "basic": "Basic"}
