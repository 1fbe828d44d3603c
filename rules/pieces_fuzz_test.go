package rules_test

import (
	"bytes"
	"testing"

	"github.com/keylint/keylint/rules"
)

// FuzzPieces embeds a key, on a line of its own, in a long run of
// arbitrary filler (keywords, usually): the matcher cuts such input into
// pieces, and wherever the cuts fall the key is reported, every match is
// in bounds and equal to its bytes, and a second run agrees.
func FuzzPieces(f *testing.F) {
	m, err := defaultMatcher()
	if err != nil {
		f.Fatal(err)
	}
	body := randString(testRand(9), b62, 30)
	keys := []struct{ rule, secret string }{
		{"github-classic-pat", "gh" + "p_" + body + rules.Base62CRC32(body)},
		{"npm-access-token", "np" + "m_" + body + rules.Base62CRC32(body)},
		{"aws-access-key-id", "AKIA" + randString(testRand(10), "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)},
	}
	for _, unit := range []string{"password=", "token:", `"password": "`, "-----BEGIN", "Authorization: Bearer ", "$1$", "AKIA", "password=token:secret=api_key=", "ghp_", "npm_x "} {
		f.Add([]byte(unit), uint32(16<<10-20), uint8(0))
		f.Add([]byte(unit), uint32(14<<10+7), uint8(2))
	}
	f.Fuzz(func(t *testing.T, unit []byte, off uint32, which uint8) {
		if len(unit) == 0 || len(unit) > 64 {
			return
		}
		key := keys[int(which)%len(keys)]
		const size = 48 << 10
		filler := bytes.Repeat(unit, size/len(unit)+1)[:size]
		at := int(off) % size
		data := make([]byte, 0, size+len(key.secret)+2)
		data = append(data, filler[:at]...)
		data = append(data, '\n')
		data = append(data, key.secret...)
		data = append(data, '\n')
		data = append(data, filler[at:]...)
		ms := find(t, m, "", data, nil)
		found := false
		for _, mt := range ms {
			if mt.Rule.ID == key.rule && mt.Secret == key.secret {
				found = true
			}
		}
		if !found {
			t.Fatalf("%s at %d in %q filler: not reported", key.rule, at, unit)
		}
		if again := m.Find(data, nil); len(again) != len(ms) {
			t.Fatalf("second run found %d matches, first %d", len(again), len(ms))
		}
	})
}
