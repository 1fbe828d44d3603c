package rules

import (
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"testing"
)

// Candidates are built at run time from random numbers, so the source holds
// nothing that looks like a real key.

func pcUUID4(r *mrand.Rand) string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func pcHex(r *mrand.Rand, n int) string {
	var sb strings.Builder
	for range n {
		sb.WriteByte("0123456789abcdef"[r.UintN(16)])
	}
	return sb.String()
}

func TestCheckGCNotifyKey(t *testing.T) {
	r := mrand.New(mrand.NewPCG(7, 11))
	for range 50 {
		k := "gcntfy-my_key-" + pcUUID4(r) + "-" + pcUUID4(r)
		if !checkGCNotifyKey(k) {
			t.Errorf("checkGCNotifyKey(%q) = false, want true", k)
		}
	}
	u1, u2 := pcUUID4(r), pcUUID4(r)
	bad := []string{
		"",
		"gcntfy-",
		"gcntfy--" + u1 + "-" + u2,     // empty name
		"gcntfy-name-" + u1 + "-" + u1, // same UUID twice
		"gcntfy-name-" + u1 + "_" + u2, // wrong separator
		"gcntfy-name-" + u1 + "-" + strings.ToUpper(u2),     // upper-case hex
		"gcntfy-name-" + u1 + "-" + u2[:14] + "1" + u2[15:], // version 1
		"gcntfy-name-" + u1 + "-" + u2[:19] + "c" + u2[20:], // wrong variant
		"notify-name-" + u1 + "-" + u2,
		"gcntfy-name-" + u1,
	}
	for _, k := range bad {
		if checkGCNotifyKey(k) {
			t.Errorf("checkGCNotifyKey(%q) = true, want false", k)
		}
	}
}

func TestCheckDotenvKey(t *testing.T) {
	r := mrand.New(mrand.NewPCG(3, 5))
	for _, env := range []string{"production", "staging", "ci"} {
		k := "dotenv://:key_" + pcHex(r, 64) + "@dotenv.org/vault/.env.vault?environment=" + env
		if !checkDotenvKey(k) {
			t.Errorf("checkDotenvKey(%q) = false, want true", k)
		}
	}
	h := pcHex(r, 64)
	bad := []string{
		"",
		"dotenv://:key_" + h[:63] + "@dotenv.org/vault/.env.vault?environment=production",
		"dotenv://:key_" + h[:63] + "g@dotenv.org/vault/.env.vault?environment=production",
		"dotenv://user:key_" + h + "@dotenv.org/vault/.env.vault?environment=production",
		"dotenv://:key_" + h + "@example.org/vault/.env.vault?environment=production",
		"dotenv://:key_" + h + "@dotenv.org/other?environment=production",
		"dotenv://:key_" + h + "@dotenv.org/vault/.env.vault",
		"https://:key_" + h + "@dotenv.org/vault/.env.vault?environment=production",
		"dotenv://:" + h + "@dotenv.org/vault/.env.vault?environment=production",
	}
	for _, k := range bad {
		if checkDotenvKey(k) {
			t.Errorf("checkDotenvKey(%q) = true, want false", k)
		}
	}
}

func FuzzCheckGCNotifyKey(f *testing.F) {
	r := mrand.New(mrand.NewPCG(1, 2))
	f.Add("gcntfy-k-" + pcUUID4(r) + "-" + pcUUID4(r))
	f.Add("gcntfy-")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if checkGCNotifyKey(s) && (!strings.HasPrefix(s, "gcntfy-") || len(s) < 7+75) {
			t.Fatalf("accepted %q", s)
		}
	})
}

func FuzzCheckDotenvKey(f *testing.F) {
	r := mrand.New(mrand.NewPCG(1, 2))
	f.Add("dotenv://:key_" + pcHex(r, 64) + "@dotenv.org/vault/.env.vault?environment=production")
	f.Add("dotenv://")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if checkDotenvKey(s) && !strings.HasPrefix(s, "dotenv://") {
			t.Fatalf("accepted %q", s)
		}
	})
}
