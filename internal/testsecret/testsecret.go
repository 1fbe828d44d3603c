// Package testsecret builds fake credentials for keylint's tests at run
// time, so that no file of the repository holds a string a secret scanner
// should flag: tokens are assembled from a random body and a prefix split
// in two.
package testsecret

import (
	"crypto/rand"
	"math/big"
	"testing"

	"github.com/keylint/keylint/rules"
)

// Alnum is the alphabet of most token bodies.
const Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// Random returns n random characters of alphabet that do not look like a
// placeholder (no runs, no stopwords), so rules never reject them.
func Random(t testing.TB, alphabet string, n int) string {
	t.Helper()
	b := make([]byte, n)
	for {
		for i := range b {
			k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			if err != nil {
				t.Fatal(err)
			}
			b[i] = alphabet[k.Int64()]
		}
		if ok, _ := rules.IsPlaceholder(string(b)); !ok {
			return string(b)
		}
	}
}

// GitHubToken returns a GitHub classic personal access token with a valid
// checksum, which the default rule github-classic-pat reports.
func GitHubToken(t testing.TB) string {
	t.Helper()
	body := Random(t, Alnum, 30)
	return "gh" + "p_" + body + rules.Base62CRC32(body)
}
