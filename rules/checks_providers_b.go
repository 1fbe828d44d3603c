package rules

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"math/big"
	"strings"
)

// Offline checks for the providers-b rules: formats that carry a checksum,
// a version marker or a decodable payload.

// checkElasticAPIKey accepts the "encoded" form of an Elasticsearch API
// key: base64 of "<id>:<api_key>", both parts URL-safe base64 characters.
func checkElasticAPIKey(s string) bool {
	dec, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	id, key, ok := bytes.Cut(dec, []byte{':'})
	if !ok || len(id) < 16 || len(id) > 40 || len(key) < 16 || len(key) > 64 {
		return false
	}
	return isB64URL(id) && isB64URL(key)
}

func isB64URL(b []byte) bool {
	for _, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// jwtPayload decodes the payload (second part) of a JWT into a map.
func jwtPayload(s string) (map[string]any, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil, false
	}
	dec, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, false
	}
	var m map[string]any
	if json.Unmarshal(dec, &m) != nil {
		return nil, false
	}
	return m, true
}

// checkSupabaseServiceRole accepts a Supabase JWT whose role is
// service_role; anon keys are meant for browsers.
func checkSupabaseServiceRole(s string) bool {
	p, ok := jwtPayload(s)
	return ok && p["iss"] == "supabase" && p["role"] == "service_role"
}

// bech32Charset is the data alphabet of BIP 173.
const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := range 5 {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

// bech32Valid reports whether s is a single-case bech32 string (BIP 173,
// constant 1) whose human-readable part is hrp.
func bech32Valid(s, hrp string) bool {
	if len(s) > 200 || strings.ToLower(s) != s && strings.ToUpper(s) != s {
		return false
	}
	s = strings.ToLower(s)
	sep := strings.LastIndexByte(s, '1')
	if sep < 1 || s[:sep] != hrp || len(s)-sep-1 < 6 {
		return false
	}
	values := make([]byte, 0, 2*len(hrp)+1+len(s)-sep-1)
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]>>5)
	}
	values = append(values, 0)
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]&31)
	}
	for i := sep + 1; i < len(s); i++ {
		d := strings.IndexByte(bech32Charset, s[i])
		if d < 0 {
			return false
		}
		values = append(values, byte(d))
	}
	return bech32Polymod(values) == 1
}

// checkBech32 returns a check for bech32 strings with the given
// human-readable part (nsec for Nostr secret keys, age-secret-key- for age).
func checkBech32(hrp string) check {
	return func(s string) bool { return bech32Valid(s, hrp) }
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58CheckDecode decodes a Base58Check string and verifies its
// four-byte double-SHA-256 checksum, returning the payload.
func base58CheckDecode(s string) ([]byte, bool) {
	if len(s) == 0 || len(s) > 200 {
		return nil, false
	}
	n := new(big.Int)
	radix := big.NewInt(58)
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(base58Alphabet, s[i])
		if d < 0 {
			return nil, false
		}
		n.Mul(n, radix)
		n.Add(n, big.NewInt(int64(d)))
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	b := append(make([]byte, zeros), n.Bytes()...)
	if len(b) < 5 {
		return nil, false
	}
	payload, sum := b[:len(b)-4], b[len(b)-4:]
	h1 := sha256.Sum256(payload)
	h2 := sha256.Sum256(h1[:])
	if !bytes.Equal(h2[:4], sum) {
		return nil, false
	}
	return payload, true
}

// checkWIF accepts a Bitcoin Wallet Import Format private key: version
// 0x80 (mainnet) or 0xef (testnet), 32 key bytes, an optional 0x01
// compression flag, and a valid Base58Check checksum.
func checkWIF(s string) bool {
	p, ok := base58CheckDecode(s)
	if !ok || p[0] != 0x80 && p[0] != 0xef {
		return false
	}
	return len(p) == 33 || len(p) == 34 && p[33] == 0x01
}

// extendedPrivateVersions are the BIP 32 / SLIP-132 version bytes of
// extended private keys (xprv, tprv, yprv, zprv, uprv, vprv, Yprv, Zprv,
// Uprv, Vprv).
var extendedPrivateVersions = map[uint32]bool{
	0x0488ade4: true, 0x04358394: true, 0x049d7878: true, 0x04b2430c: true,
	0x044a4e28: true, 0x045f18bc: true, 0x0295b005: true, 0x02aa7a99: true,
	0x024285b5: true, 0x02575048: true,
}

// checkExtendedPrivateKey accepts a BIP 32 extended private key: 78 bytes
// with a private-key version, a 0x00 byte before the 32-byte key, and a
// valid Base58Check checksum.
func checkExtendedPrivateKey(s string) bool {
	p, ok := base58CheckDecode(s)
	if !ok || len(p) != 78 {
		return false
	}
	v := uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
	return extendedPrivateVersions[v] && p[45] == 0
}

// crc16XMODEM is the CRC-16 (polynomial 0x1021, initial 0) that NATS
// nkeys append, little-endian, to their payload.
func crc16XMODEM(b []byte) uint16 {
	var crc uint16
	for _, c := range b {
		crc ^= uint16(c) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// nkeyRoles are the prefix bytes of the public-key roles a seed can hold:
// operator, server, cluster, account, user and curve.
var nkeyRoles = map[byte]bool{14 << 3: true, 13 << 3: true, 2 << 3: true, 0: true, 20 << 3: true, 23 << 3: true}

// checkNKeySeed accepts a NATS nkey seed: base32 (no padding) of the seed
// prefix and role bytes, a 32-byte ed25519 seed, and the CRC-16 checksum.
func checkNKeySeed(s string) bool {
	if len(s) != 58 {
		return false
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil || len(raw) != 36 {
		return false
	}
	body, sum := raw[:34], raw[34:]
	if crc16XMODEM(body) != uint16(sum[0])|uint16(sum[1])<<8 {
		return false
	}
	if body[0]&0xf8 != 18<<3 {
		return false // not a seed
	}
	role := (body[0]&7)<<5 | body[1]>>3
	return nkeyRoles[role]
}

// checkWireGuardKey accepts a WireGuard private key: base64 of 32 bytes,
// clamped as wg genkey and every WireGuard implementation write it
// (the low three bits of the first byte clear, the top bit of the last
// byte clear and the next one set).
func checkWireGuardKey(s string) bool {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != 32 {
		return false
	}
	return b[0]&7 == 0 && b[31]&0xc0 == 0x40
}

// jwkPrivateMembers are the members that hold private key material, per
// key type (RFC 7518 section 6).
var jwkPrivateMembers = map[string][]string{
	"RSA": {"d", "p", "q", "dp", "dq", "qi"},
	"EC":  {"d"},
	"OKP": {"d"},
	"oct": {"k"},
}

// checkJWKPrivate accepts text holding a JSON Web Key, or a JWK Set, with
// a private or symmetric key: a JSON object with a known "kty" and one of
// its private members as a base64url string of at least 16 bytes. The
// candidate may carry code around the JSON (a regex cannot balance
// braces), so decoding starts at each of its first few "{" and reads one
// JSON value; nested objects are searched a few levels deep.
func checkJWKPrivate(s string) bool {
	for tries, i := 0, 0; tries < 8; tries++ {
		j := strings.IndexByte(s[i:], '{')
		if j < 0 {
			return false
		}
		i += j
		var v any
		if json.NewDecoder(strings.NewReader(s[i:])).Decode(&v) == nil && jwkHasPrivate(v, 4) {
			return true
		}
		i++
	}
	return false
}

// jwkKeyMaterial reports whether m, a JWK member's value, is base64url
// (padding allowed) of at least 16 bytes, the least a private or symmetric
// member holds.
func jwkKeyMaterial(m string) bool {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(m, "="))
	return err == nil && len(b) >= 16
}

// jwkHasPrivate reports whether v, or a value nested in it at most depth
// levels down, is a JWK with private key material.
func jwkHasPrivate(v any, depth int) bool {
	if depth < 0 {
		return false
	}
	switch v := v.(type) {
	case map[string]any:
		kty, _ := v["kty"].(string)
		for _, name := range jwkPrivateMembers[kty] {
			if m, _ := v[name].(string); jwkKeyMaterial(m) {
				return true
			}
		}
		for _, x := range v {
			if jwkHasPrivate(x, depth-1) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if jwkHasPrivate(x, depth-1) {
				return true
			}
		}
	}
	return false
}

// checkSynapseToken accepts a Matrix Synapse access or refresh token,
// syt_/syr_<base64 localpart>_<20 letters>_<checksum>, whose checksum is
// the CRC-32 of everything before the last underscore in base62.
func checkSynapseToken(s string) bool {
	if !strings.HasPrefix(s, "syt_") && !strings.HasPrefix(s, "syr_") {
		return false
	}
	i := strings.LastIndexByte(s, '_')
	if i < 0 || len(s)-i-1 != 6 {
		return false
	}
	return Base62CRC32(s[:i]) == s[i+1:]
}

// base62Lower is the other common base62 digit order (lower case first).
const base62Lower = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// checkNetBirdPAT accepts a NetBird personal access token: nbp_, 30
// base62 characters and the CRC-32 of those 30 in six base62 digits.
// NetBird's digit order is not documented, so both common orders pass.
func checkNetBirdPAT(s string) bool {
	body, ok := strings.CutPrefix(s, "nbp_")
	if !ok || len(body) != 36 {
		return false
	}
	for i := 0; i < len(body); i++ {
		if strings.IndexByte(base62Alphabet, body[i]) < 0 {
			return false
		}
	}
	if Base62CRC32(body[:30]) == body[30:] {
		return true
	}
	n := crc32.ChecksumIEEE([]byte(body[:30]))
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = base62Lower[n%62]
		n /= 62
	}
	return string(out[:]) == body[30:]
}

func init() {
	// Registered here rather than in the checks table of checks.go, which
	// other changes are editing at the same time.
	checks["stripe-secret"] = checkStripeSecret
}

// checkStripeSecret rejects an sk_live_/sk_test_ key whose body is exactly
// 40 lowercase hexadecimal characters: that is Paystack's secret-key format
// (paystack-secret-key reports it). Stripe bodies are mixed-case base62, so
// a 40-character all-lowercase-hex Stripe body has odds of about 10^-23:
// with this check the two rules never report the same key.
func checkStripeSecret(s string) bool {
	i := strings.LastIndexByte(s, '_')
	if i < 0 {
		return false
	}
	body := s[i+1:]
	if len(body) != 40 {
		return true
	}
	for j := 0; j < len(body); j++ {
		c := body[j]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return true
		}
	}
	return false
}
