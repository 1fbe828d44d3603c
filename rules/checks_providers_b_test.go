package rules

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"hash/crc32"
	"math/big"
	mrand "math/rand/v2"
	"strings"
	"testing"
)

// The candidates in this file are built at run time from random bytes by
// encoders written here independently of the checks, so the source holds
// nothing that looks like a real key.

func pbRand(seed uint64) *mrand.Rand { return mrand.New(mrand.NewPCG(seed, 0xb0b)) }

func pbBytes(r *mrand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

// testBase58Check encodes payload with its double-SHA-256 checksum.
func testBase58Check(payload []byte) string {
	h1 := sha256.Sum256(payload)
	h2 := sha256.Sum256(h1[:])
	full := append(append([]byte{}, payload...), h2[:4]...)
	n := new(big.Int).SetBytes(full)
	var out []byte
	mod := new(big.Int)
	for n.Sign() > 0 {
		n.DivMod(n, big.NewInt(58), mod)
		out = append(out, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"[mod.Int64()])
	}
	for _, c := range full {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// testBech32 encodes 8-bit data as bech32 with the given human-readable part.
func testBech32(hrp string, data []byte) string {
	var five []byte
	acc, bits := 0, 0
	for _, b := range data {
		acc = acc<<8 | int(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			five = append(five, byte(acc>>bits&31))
		}
	}
	if bits > 0 {
		five = append(five, byte(acc<<(5-bits)&31))
	}
	values := []byte{}
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]>>5)
	}
	values = append(values, 0)
	for i := 0; i < len(hrp); i++ {
		values = append(values, hrp[i]&31)
	}
	values = append(values, five...)
	values = append(values, 0, 0, 0, 0, 0, 0)
	gen := []uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i, g := range gen {
			if top>>uint(i)&1 == 1 {
				chk ^= g
			}
		}
	}
	chk ^= 1
	var sb strings.Builder
	sb.WriteString(hrp + "1")
	for _, v := range five {
		sb.WriteByte("qpzry9x8gf2tvdw0s3jn54khce6mua7l"[v])
	}
	for i := 0; i < 6; i++ {
		sb.WriteByte("qpzry9x8gf2tvdw0s3jn54khce6mua7l"[chk>>uint(5*(5-i))&31])
	}
	return sb.String()
}

// testNKeySeed encodes a NATS seed for the role prefix byte.
func testNKeySeed(role byte, seed []byte) string {
	raw := []byte{18<<3 | role>>5, (role & 31) << 3}
	raw = append(raw, seed...)
	var crc uint16
	for _, c := range raw {
		for i := 7; i >= 0; i-- {
			bit := (c>>uint(i))&1 == 1
			top := crc&0x8000 != 0
			crc <<= 1
			if bit != top {
				crc ^= 0x1021
			}
		}
	}
	raw = append(raw, byte(crc), byte(crc>>8))
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw)
}

// testB62 writes n as six base62 digits in the given digit order.
func testB62(n uint32, digits string) string {
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = digits[n%62]
		n /= 62
	}
	return string(out[:])
}

const (
	testB62Upper = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	testB62Lower = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

// testSynapse builds a Synapse token for a localpart.
func testSynapse(kind, localpart string, r *mrand.Rand) string {
	letters := "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	rnd := make([]byte, 20)
	for i := range rnd {
		rnd[i] = letters[r.IntN(len(letters))]
	}
	base := kind + "_" + base64.RawStdEncoding.EncodeToString([]byte(localpart)) + "_" + string(rnd)
	return base + "_" + testB62(crc32.ChecksumIEEE([]byte(base)), testB62Upper)
}

// testNetBird builds a NetBird PAT with the checksum in the given order.
func testNetBird(r *mrand.Rand, digits string) string {
	body := make([]byte, 30)
	for i := range body {
		body[i] = testB62Upper[r.IntN(62)]
	}
	return "nbp_" + string(body) + testB62(crc32.ChecksumIEEE(body), digits)
}

func flip(s string, i int) string {
	b := []byte(s)
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestProvidersBChecks(t *testing.T) {
	t.Parallel()
	r := pbRand(1)
	b64u := func(n int) string { return base64.RawURLEncoding.EncodeToString(pbBytes(r, n))[:n] }
	jwt := func(payload string) string {
		return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + b64u(43)
	}
	wif := testBase58Check(append([]byte{0x80}, pbBytes(r, 32)...))
	wifC := testBase58Check(append(append([]byte{0xef}, pbBytes(r, 32)...), 1))
	xprvPayload := append([]byte{0x04, 0x88, 0xad, 0xe4}, pbBytes(r, 41)...)
	xprvPayload = append(append(xprvPayload, 0), pbBytes(r, 32)...)
	xprv := testBase58Check(xprvPayload)
	xpubPayload := append([]byte{0x04, 0x88, 0xb2, 0x1e}, xprvPayload[4:]...)
	xpubPayload[45] = 0x02
	nsec := testBech32("nsec", pbBytes(r, 32))
	// The same key with its last checksum character changed.
	nsecBadSum := nsec[:len(nsec)-1] + "q"
	if nsec[len(nsec)-1] == 'q' {
		nsecBadSum = nsec[:len(nsec)-1] + "p"
	}
	userSeed := testNKeySeed(20<<3, pbBytes(r, 32))
	accountSeed := testNKeySeed(0, pbBytes(r, 32))
	wg := pbBytes(r, 32)
	wg[0] &^= 7
	wg[31] = wg[31]&0x3f | 0x40
	wgKey := base64.StdEncoding.EncodeToString(wg)
	wg[0] |= 1
	wgUnclamped := base64.StdEncoding.EncodeToString(wg)
	d := b64u(43)
	syt := testSynapse("syt", "alice", r)
	cases := []struct {
		check, in string
		want      bool
	}{
		{"elastic-api-key", base64.StdEncoding.EncodeToString([]byte(b64u(20) + ":" + b64u(22))), true},
		{"elastic-api-key", base64.StdEncoding.EncodeToString([]byte(b64u(20) + b64u(22))), false},
		{"elastic-api-key", base64.StdEncoding.EncodeToString([]byte("user name:pass word with spaces")), false},
		{"elastic-api-key", "not base64!", false},
		{"supabase-service-role", jwt(`{"iss":"supabase","ref":"abc","role":"service_role"}`), true},
		{"supabase-service-role", jwt(`{"iss":"supabase","ref":"abc","role":"anon"}`), false},
		{"supabase-service-role", jwt(`{"iss":"other","role":"service_role"}`), false},
		{"supabase-service-role", "eyJ.eyJ!.x", false},
		{"nostr-nsec", nsec, true},
		{"nostr-nsec", strings.ToUpper(nsec), true},
		{"nostr-nsec", nsecBadSum, false},
		{"nostr-nsec", "npub" + nsec[4:], false},
		{"nostr-nsec", nsec[:10] + strings.ToUpper(nsec[10:]), false},
		{"bitcoin-wif", wif, true},
		{"bitcoin-wif", wifC, true},
		{"bitcoin-wif", flip(wif, 10), false},
		{"bitcoin-wif", testBase58Check(append([]byte{0x00}, pbBytes(r, 20)...)), false}, // an address
		{"bitcoin-wif", "0OIl", false},
		{"bip32-private", xprv, true},
		{"bip32-private", flip(xprv, 20), false},
		{"bip32-private", testBase58Check(xpubPayload), false},
		{"nkey-seed", userSeed, true},
		{"nkey-seed", accountSeed, true},
		{"nkey-seed", flip(userSeed, 30), false},
		{"nkey-seed", testNKeySeed(9<<3, pbBytes(r, 32)), false}, // unknown role
		{"nkey-seed", userSeed[:57], false},
		{"wireguard-key", wgKey, true},
		{"wireguard-key", wgUnclamped, false},
		{"wireguard-key", base64.StdEncoding.EncodeToString(pbBytes(r, 31)), false},
		{"jwk-private", `{"kty":"EC","crv":"P-256","x":"` + d + `","y":"` + d + `","d":"` + d + `"}`, true},
		{"jwk-private", `{"keys":[{"kty":"RSA","n":"` + d + `","e":"AQAB"},{"kty":"oct","k":"` + d + `"}]}`, true},
		{"jwk-private", `{"kty":"EC","crv":"P-256","x":"` + d + `","y":"` + d + `"}`, false},
		{"jwk-private", `{"kty":"RSA","n":"` + d + `","e":"AQAB","d":"short"}`, false},
		{"jwk-private", `{"kty":"oct","k":"` + d + `"`, false},
		{"jwk-private", `function f() { const k = {"kty":"OKP","crv":"Ed25519","x":"` + d + `","d":"` + d + `"}; return k }`, true},
		{"jwk-private", `{"issuer": "x", "jwk": {"kty":"EC","x":"` + d + `","d":"` + d + `"}}`, true},
		{"jwk-private", `{"kty":"EC","x":"` + d + `","d":"` + d + `"}}, "next": {}}`, true},
		{"jwk-private", `{"kty":"XYZ","d":"` + d + `"}`, false},
		{"matrix-synapse", syt, true},
		{"matrix-synapse", testSynapse("syr", "bob", r), true},
		{"matrix-synapse", flip(syt, 12), false},
		{"matrix-synapse", "syl_" + syt[4:], false},
		{"matrix-synapse", syt[:len(syt)-1], false},
		{"netbird", testNetBird(r, testB62Upper), true},
		{"netbird", testNetBird(r, testB62Lower), true},
		{"netbird", flip(testNetBird(r, testB62Upper), 10), false},
		{"netbird", "nbp_" + strings.Repeat("A", 36), false},
	}
	for _, c := range cases {
		if got := RunCheck(c.check, c.in); got != c.want {
			t.Errorf("%s(%q) = %v, want %v", c.check, c.in, got, c.want)
		}
	}
}

// TestProvidersBRoundTrip encodes many random keys and checks that each
// check accepts every one and rejects it with one character changed.
func TestProvidersBRoundTrip(t *testing.T) {
	t.Parallel()
	r := pbRand(2)
	roles := []byte{14 << 3, 13 << 3, 2 << 3, 0, 20 << 3, 23 << 3}
	for i := range 200 {
		cands := map[string]string{
			"bitcoin-wif": testBase58Check(append([]byte{0x80}, pbBytes(r, 32)...)),
			"nostr-nsec":  testBech32("nsec", pbBytes(r, 32)),
			"nkey-seed":   testNKeySeed(roles[i%len(roles)], pbBytes(r, 32)),
		}
		for name, s := range cands {
			if !RunCheck(name, s) {
				t.Fatalf("%s rejects valid %q", name, s)
			}
			j := 5 + r.IntN(len(s)-6)
			alt := "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
			if name != "nostr-nsec" {
				alt = "ABCDEFGHJKLMNPQRSTUVWXYZ234567"
			}
			c := alt[r.IntN(len(alt))]
			if c == s[j] {
				continue
			}
			bad := s[:j] + string(c) + s[j+1:]
			if RunCheck(name, bad) {
				t.Errorf("%s accepts %q, %q with one character changed", name, bad, s)
			}
		}
	}
}

// FuzzProvidersBChecks runs the providers-b checks on arbitrary input:
// none may panic, and what a checksum check accepts must decode to the
// shape it promises.
func FuzzProvidersBChecks(f *testing.F) {
	r := pbRand(3)
	f.Add(testBase58Check(append([]byte{0x80}, pbBytes(r, 32)...)))
	f.Add(testBech32("nsec", pbBytes(r, 32)))
	f.Add(testNKeySeed(20<<3, pbBytes(r, 32)))
	f.Add(base64.StdEncoding.EncodeToString(pbBytes(r, 32)))
	f.Add(`{"kty":"oct","k":"` + base64.RawURLEncoding.EncodeToString(pbBytes(r, 24)) + `"}`)
	f.Add("eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJzdXBhYmFzZSJ9.c2ln")
	f.Add(testSynapse("syt", "alice", r))
	f.Add(testNetBird(r, testB62Upper))
	names := []string{"elastic-api-key", "supabase-service-role", "nostr-nsec", "bitcoin-wif", "bip32-private", "nkey-seed", "wireguard-key", "jwk-private", "matrix-synapse", "netbird"}
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range names {
			if !RunCheck(name, s) {
				continue
			}
			switch name {
			case "bitcoin-wif":
				if p, ok := base58CheckDecode(s); !ok || len(p) < 33 {
					t.Fatalf("bitcoin-wif accepted %q", s)
				}
			case "bip32-private":
				if p, ok := base58CheckDecode(s); !ok || len(p) != 78 {
					t.Fatalf("bip32-private accepted %q", s)
				}
			case "nkey-seed", "wireguard-key":
				if len(s) != 58 && len(s) != 44 {
					t.Fatalf("%s accepted %q of length %d", name, s, len(s))
				}
			case "matrix-synapse":
				i := strings.LastIndexByte(s, '_')
				if i < 0 || testB62(crc32.ChecksumIEEE([]byte(s[:i])), testB62Upper) != s[i+1:] {
					t.Fatalf("matrix-synapse accepted %q without its checksum", s)
				}
			case "netbird":
				if len(s) != 40 {
					t.Fatalf("netbird accepted %q", s)
				}
			case "jwk-private":
				if !strings.Contains(s, `"kty"`) || !strings.Contains(s, "{") {
					t.Fatalf("jwk-private accepted %q without a JSON object with kty", s)
				}
			}
		}
	})
}

// FuzzAgeSecretKey checks the age-secret-key check (bech32, BIP 173) on
// keys built from arbitrary 32-byte payloads: each is accepted in upper
// case (as age-keygen writes it) and in lower case, and rejected with any
// one character of its data part changed, mixed case, or another
// human-readable part. Arbitrary strings must not panic it.
func FuzzAgeSecretKey(f *testing.F) {
	r := pbRand(5)
	f.Add(pbBytes(r, 32), uint8(3), uint8(7), "AGE-SECRET-KEY-1")
	f.Add(make([]byte, 32), uint8(0), uint8(0), "age-secret-key-1qqqq")
	f.Fuzz(func(t *testing.T, payload []byte, pos, sub uint8, arbitrary string) {
		RunCheck("age-secret-key", arbitrary)
		if len(payload) < 32 {
			return
		}
		key := strings.ToUpper(testBech32("age-secret-key-", payload[:32]))
		if len(key) != 74 || !RunCheck("age-secret-key", key) || !RunCheck("age-secret-key", strings.ToLower(key)) {
			t.Fatalf("age-secret-key rejects %q", key)
		}
		const hrpLen = len("AGE-SECRET-KEY-1")
		i := hrpLen + int(pos)%(len(key)-hrpLen)
		c := strings.ToUpper(bech32Charset)[int(sub)%32]
		if c != key[i] {
			if bad := key[:i] + string(c) + key[i+1:]; RunCheck("age-secret-key", bad) {
				t.Fatalf("age-secret-key accepts %q, %q with one character changed", bad, key)
			}
		}
		if mixed := key[:hrpLen] + strings.ToLower(key[hrpLen:hrpLen+1]) + key[hrpLen+1:]; mixed != key && RunCheck("age-secret-key", mixed) {
			t.Fatalf("age-secret-key accepts mixed case %q", mixed)
		}
		if other := "AGE-PUBLIC-KEY-1" + key[hrpLen:]; RunCheck("age-secret-key", other) {
			t.Fatalf("age-secret-key accepts another human-readable part: %q", other)
		}
	})
}
