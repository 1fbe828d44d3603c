package rules

import (
	"bytes"
	"strings"
	"testing"
)

// TestAdversarialWorkIsLinear: input made of nothing but keyword hits must
// cost work (bytes examined by regexes) linear in its size. The assertion
// is on the work done, never on wall time.
func TestAdversarialWorkIsLinear(t *testing.T) {
	t.Parallel()
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(rs)
	for _, unit := range []string{"password", "AKIA", "ghp_", "-----BEGIN RSA PRIVATE KEY-----\n", "sk-ant-api03-", "token=", "xoxb-"} {
		work := func(n int) (Stats, int) {
			data := bytes.Repeat([]byte(unit), n/len(unit))
			var st Stats
			ms := m.Find(data, &st)
			for _, mt := range ms {
				if mt.SecretStart < 0 || mt.SecretEnd > len(data) {
					t.Fatalf("%q: match out of bounds", unit)
				}
			}
			return st, len(data)
		}
		small, n1 := work(256 << 10)
		large, n2 := work(1 << 20)
		perByte1 := float64(small.RegexBytes) / float64(n1)
		perByte2 := float64(large.RegexBytes) / float64(n2)
		// Linear: the bytes examined per input byte do not grow with size.
		if perByte2 > 1.5*perByte1+1 {
			t.Errorf("%q: regex work per byte grew from %.1f to %.1f: not linear", strings.TrimSpace(unit), perByte1, perByte2)
		}
		// And bounded: a handful of rules share a keyword, each examines the
		// input a bounded number of times.
		if perByte2 > 200 {
			t.Errorf("%q: %.1f regex bytes per input byte", strings.TrimSpace(unit), perByte2)
		}
		if large.RegexCalls > 64*len(rs.Rules()) {
			t.Errorf("%q: %d regex calls: windows are not merged", strings.TrimSpace(unit), large.RegexCalls)
		}
	}
}

// TestPathologicalWork: on input made of keyword hits that holds no
// credential, submatch extraction (Go's regexp, the costly engine) sees
// almost nothing: the DFA answers for each piece of a long region, with
// the piece's true surroundings. Before, one rule's regexp crawled over the
// whole region. Input holding genuine candidates is bounded too. The
// assertion is on work counters, never on time.
func TestPathologicalWork(t *testing.T) {
	t.Parallel()
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(rs)
	size := 1 << 20
	if RaceEnabled {
		size = 64 << 10 // the same ratios, at a size the race detector can afford
	}
	for _, c := range pathological(size) {
		t.Run(c.name, func(t *testing.T) {
			var st Stats
			m.Find(c.data, &st)
			n := float64(len(c.data))
			sub, all := float64(st.SubmatchBytes)/n, float64(st.RegexBytes)/n
			maxSub := 0.1
			switch c.name {
			case "every-keyword", "password-lines":
				maxSub = 4 // genuine candidates everywhere: each examined a bounded number of times
			}
			if sub > maxSub {
				t.Errorf("%.2f submatch bytes per input byte, want at most %.1f", sub, maxSub)
			}
			if all > 80 {
				t.Errorf("%.2f regex bytes per input byte", all)
			}
		})
	}
}

// TestPiecesLoseNothing: a real key inside a long region dense with
// keywords is found wherever the region's cuts fall, on its own line or
// on the long line itself.
func TestPiecesLoseNothing(t *testing.T) {
	t.Parallel()
	rs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(rs)
	body := "q7Zk2Wm9Rv4Tx8BnHc3Lp6Ys1Df5Gj"
	ghp := "gh" + "p_" + body + Base62CRC32(body)
	aws := "AKIA" + "Q7ZK2WM4RV4TX7BN"
	pw := "Zr8#kq2Lm9!vT4"
	plen, ov := pieceLen, pieceOverlap
	for _, c := range []struct {
		name, filler, before, secret, after string
	}{
		{"ghp on a line of token:", "token:", " ", ghp, " "},
		{"aws on a line of AKIA", "AKIA", " ", aws, " "},
		{"password line among password=", "password=", "\n" + `password = "`, pw, `"` + "\n"},
		{"ghp on a line of password=", "password=", " ", ghp, " "},
	} {
		for _, base := range []int{0, plen - ov, plen, 2*(plen-ov) + ov/2, 3 * (plen - ov)} {
			for _, d := range []int{-60, -41, -17, -3, 0, 5, 29} {
				off := max(0, base+d)
				pre := strings.Repeat(c.filler, off/len(c.filler)+1)[:off]
				data := []byte(pre + c.before + c.secret + c.after + strings.Repeat(c.filler, (4*plen)/len(c.filler)))
				found := false
				for _, mt := range m.Find(data, nil) {
					if mt.Secret == c.secret {
						found = true
					}
				}
				if !found {
					t.Errorf("%s at offset %d: not found", c.name, off)
				}
			}
		}
	}
}
