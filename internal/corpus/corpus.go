// Package corpus builds deterministic, realistic text for keylint's
// benchmarks and precision tests: real Go source read from a directory tree,
// and synthetic web and configuration files (JavaScript, YAML, JSON, .env,
// INI) with an optional sprinkling of fake credentials.
//
// Everything here is deterministic: the same arguments give the same bytes
// on every machine, so benchmark figures compare like with like. Fake
// credentials are assembled from parts at run time, so this source file
// holds nothing a secret scanner should flag.
package corpus

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"
)

// GoFiles returns the content of .go files under dir, up to about limit
// bytes in all. When the tree holds more than limit bytes, files are sampled
// evenly across it (every k-th file in lexical path order), so the result
// mixes packages rather than reading the first directories only.
func GoFiles(dir string, limit int) ([][]byte, error) {
	type file struct {
		path string
		size int64
	}
	var files []file
	var total int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files = append(files, file{path, info.Size()})
		total += info.Size()
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	stride := 1
	if limit > 0 && total > int64(limit) {
		stride = int((total + int64(limit) - 1) / int64(limit))
	}
	var out [][]byte
	n := 0
	for i := 0; i < len(files) && n < limit; i += stride {
		data, err := os.ReadFile(files[i].path)
		if err != nil {
			return nil, err
		}
		out = append(out, data)
		n += len(data)
	}
	return out, nil
}

const (
	alnum    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	base62   = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	upper32  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	hexLower = "0123456789abcdef"
)

var words = strings.Fields(`
	account action active address admin after alert align amount anchor
	apply array async author avatar banner basket before billing block body
	border bottom bounds branch browser buffer button cache callback cancel
	caption card cart center change channel check child choice chunk click
	client close cluster color column command comment config confirm connect
	console content context count country coupon create credit current cursor
	customer data debug default delete detail device dialog display domain
	draft email empty enable entry error event expand export feature fetch
	field filter first focus footer format frame group handle header height
	hidden history hover image index input invoice item label language layout
	limit links listen loader locale logger login logout margin media member
	menu message method mobile modal module mount native order output owner
	padding panel parent payment pending picker player plugin point popup
	price primary profile query queue radio range reader record region render
	report request reset resize result route row schema screen scroll search
	select server session shadow shipping signal size slider socket source
	status store stream style submit summary switch table target theme timer
	title toggle tooltip total track update upload user value version view
	visible widget width window worker zone`)

// gen is a deterministic generator of plausible text fragments.
type gen struct {
	r *rand.Rand
	b bytes.Buffer
}

func newGen(seed uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (g *gen) word() string { return words[g.r.IntN(len(words))] }

func (g *gen) camel() string {
	a, b := g.word(), g.word()
	return a + strings.ToUpper(b[:1]) + b[1:]
}

func (g *gen) snake() string { return g.word() + "_" + g.word() }

func (g *gen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

func (g *gen) chars(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

func (g *gen) bytesN(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	return b
}

func (g *gen) uuid() string {
	h := hex.EncodeToString(g.bytesN(16))
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

func (g *gen) sentence() string {
	n := 3 + g.r.IntN(8)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.word()
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// Mixed returns at least n bytes of synthetic web and configuration source:
// JavaScript modules, YAML manifests and workflows, JSON documents, .env and
// INI files, each introduced by a "// file: NAME" style separator. When
// secretEvery > 0, a fake credential of a well-known format is planted about
// every secretEvery bytes; with secretEvery <= 0 the text holds none.
func Mixed(seed uint64, n, secretEvery int) []byte {
	return bytes.Join(MixedFiles(seed, n, secretEvery), nil)
}

// MixedFiles is [Mixed] as separate files.
func MixedFiles(seed uint64, n, secretEvery int) [][]byte {
	g := newGen(seed)
	next := secretEvery
	var files [][]byte
	total := 0
	for total < n {
		var planted string
		if secretEvery > 0 && total >= next {
			planted = FakeSecret(g.r.Uint64())
			next += secretEvery
		}
		g.b.Reset()
		g.file(planted)
		files = append(files, bytes.Clone(g.b.Bytes()))
		total += g.b.Len()
	}
	return files
}

func (g *gen) file(planted string) {
	switch g.r.IntN(6) {
	case 0:
		g.jsModule(planted)
	case 1:
		g.yamlManifest(planted)
	case 2:
		g.jsonDoc(planted)
	case 3:
		g.envFile(planted)
	case 4:
		g.iniFile(planted)
	default:
		g.b.Write(MinifiedJS(g.r.Uint64(), 2048+g.r.IntN(4096)))
		g.b.WriteString("\n")
		if planted != "" {
			fmt.Fprintf(&g.b, "window.__CFG__={token:%q};\n", planted)
		}
	}
}

func (g *gen) jsModule(planted string) {
	b := &g.b
	fmt.Fprintf(b, "// file: src/%s/%s.js\n", g.word(), g.camel())
	fmt.Fprintf(b, "import { %s, %s } from \"./%s\";\nimport %s from \"%s\";\n\n", g.camel(), g.camel(), g.word(), g.word(), g.pick("react", "lodash", "axios", "dayjs", "zod"))
	for range 2 + g.r.IntN(5) {
		fn := g.camel()
		fmt.Fprintf(b, "export async function %s(%s, options = {}) {\n", fn, g.word())
		fmt.Fprintf(b, "  const %s = await fetch(`${BASE_URL}/api/%s/${%s.id}`, {\n", g.word(), g.word(), g.word())
		fmt.Fprintf(b, "    method: %q,\n    headers: { \"Content-Type\": \"application/json\", Authorization: `Bearer ${session.accessToken}` },\n", g.pick("GET", "POST", "PUT"))
		b.WriteString("  });\n")
		fmt.Fprintf(b, "  if (!%s.ok) throw new Error(%q);\n", g.word(), g.sentence())
		fmt.Fprintf(b, "  const token = options.token ?? getToken();\n  const password = form.elements.password.value;\n")
		fmt.Fprintf(b, "  return { %s: %d, %s: %q, id: %q };\n}\n\n", g.word(), g.r.IntN(10000), g.word(), g.sentence(), g.uuid())
	}
	if planted != "" {
		fmt.Fprintf(b, "const apiKey = %q; // TODO move to the vault\n", planted)
	}
	b.WriteString("\n")
}

func (g *gen) yamlManifest(planted string) {
	b := &g.b
	name := g.word() + "-" + g.word()
	fmt.Fprintf(b, "# file: deploy/%s.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\n  labels:\n    app: %s\nspec:\n  replicas: %d\n", name, name, name, 1+g.r.IntN(5))
	fmt.Fprintf(b, "  template:\n    spec:\n      containers:\n        - name: %s\n          image: ghcr.io/acme/%s@sha256:%s\n", name, name, hex.EncodeToString(g.bytesN(32)))
	b.WriteString("          env:\n")
	for range 2 + g.r.IntN(4) {
		fmt.Fprintf(b, "            - name: %s\n              value: %q\n", strings.ToUpper(g.snake()), g.word())
	}
	fmt.Fprintf(b, "            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: %s-db\n                  key: password\n", name)
	if planted != "" {
		fmt.Fprintf(b, "            - name: API_TOKEN\n              value: %q\n", planted)
	}
	b.WriteString("---\n")
}

func (g *gen) jsonDoc(planted string) {
	b := &g.b
	fmt.Fprintf(b, "// file: config/%s.json\n{\n  \"name\": \"@acme/%s\",\n  \"version\": \"%d.%d.%d\",\n", g.word(), g.word(), g.r.IntN(5), g.r.IntN(20), g.r.IntN(30))
	fmt.Fprintf(b, "  \"integrity\": \"sha512-%s\",\n", base64.StdEncoding.EncodeToString(g.bytesN(64)))
	fmt.Fprintf(b, "  \"resolved\": \"https://registry.npmjs.org/%s/-/%s-1.2.3.tgz\",\n", g.word(), g.word())
	for range 3 + g.r.IntN(6) {
		fmt.Fprintf(b, "  %q: {\"id\": %q, \"label\": %q, \"count\": %d},\n", g.camel(), g.uuid(), g.sentence(), g.r.IntN(1000))
	}
	if planted != "" {
		fmt.Fprintf(b, "  \"secret\": %q,\n", planted)
	}
	fmt.Fprintf(b, "  \"commit\": %q\n}\n", hex.EncodeToString(g.bytesN(20)))
}

func (g *gen) envFile(planted string) {
	b := &g.b
	fmt.Fprintf(b, "# file: services/%s/.env\nNODE_ENV=production\nPORT=%d\nLOG_LEVEL=%s\n", g.word(), 3000+g.r.IntN(5000), g.pick("debug", "info", "warn"))
	fmt.Fprintf(b, "API_BASE_URL=https://%s.internal.acme.test/v%d\n", g.word(), 1+g.r.IntN(3))
	fmt.Fprintf(b, "FEATURE_%s=%t\nREQUEST_ID_HEADER=X-Request-Id\n", strings.ToUpper(g.word()), g.r.IntN(2) == 0)
	b.WriteString("DATABASE_PASSWORD=${DATABASE_PASSWORD}\nSESSION_SECRET=\n")
	if planted != "" {
		fmt.Fprintf(b, "%s_TOKEN=%s\n", strings.ToUpper(g.word()), planted)
	}
	b.WriteString("\n")
}

func (g *gen) iniFile(planted string) {
	b := &g.b
	fmt.Fprintf(b, "; file: etc/%s.ini\n[%s]\nhost = %s.acme.test\nport = %d\ntimeout = %ds\n", g.word(), g.word(), g.word(), 1024+g.r.IntN(60000), 1+g.r.IntN(60))
	fmt.Fprintf(b, "\n[%s]\nenabled = %t\npath = /var/lib/%s/%s\n", g.word(), g.r.IntN(2) == 0, g.word(), g.word())
	if planted != "" {
		fmt.Fprintf(b, "credentials = %s\n", planted)
	}
	b.WriteString("\n")
}

// FakeSecret returns one fake credential of a well-known format (GitHub
// token with a valid checksum, AWS key pair, Slack bot token, OpenAI and
// Stripe keys, a database URL with a password, a JWT, a PEM private key),
// chosen and filled in from seed. The values are random, not real.
func FakeSecret(seed uint64) string {
	g := newGen(seed)
	switch g.r.IntN(8) {
	case 0:
		body := g.chars(base62, 30)
		return "gh" + "p_" + body + checksum(body)
	case 1:
		return "AK" + "IA" + g.chars(upper32, 16)
	case 2:
		return "xox" + "b-" + g.chars("0123456789", 12) + "-" + g.chars("0123456789", 13) + "-" + g.chars(alnum, 24)
	case 3:
		return "sk-" + "proj-" + g.chars(alnum, 74) + "T3Blbk" + "FJ" + g.chars(alnum, 74)
	case 4:
		return "sk_" + "live_" + g.chars(alnum, 99)
	case 5:
		return "postgres" + "://app_" + g.word() + ":" + g.chars(alnum, 20) + "@db-" + g.word() + ".acme.test:5432/" + g.word()
	case 6:
		enc := base64.RawURLEncoding
		hdr := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
		payload := enc.EncodeToString(fmt.Appendf(nil, `{"sub":%q,"iat":%d}`, g.uuid(), 1700000000+g.r.IntN(1e8)))
		return hdr + "." + payload + "." + enc.EncodeToString(g.bytesN(32))
	default:
		body := base64.StdEncoding.EncodeToString(g.bytesN(600))
		var b strings.Builder
		b.WriteString("-----BEGIN " + "RSA PRIVATE KEY-----\n")
		for len(body) > 64 {
			b.WriteString(body[:64] + "\n")
			body = body[64:]
		}
		b.WriteString(body + "\n-----END " + "RSA PRIVATE KEY-----")
		return b.String()
	}
}

// checksum is the base62 CRC32 suffix of GitHub and npm tokens.
func checksum(body string) string {
	n := crc32.ChecksumIEEE([]byte(body))
	out := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		out[i] = base62[n%62]
		n /= 62
	}
	return string(out)
}

// MinifiedJS returns about n bytes of JavaScript shaped like a production
// bundle: one long line of short identifiers, object literals, string
// tables, hex colours, chunk hashes, regex literals and inline base64
// assets. It contains words like "token" and "password" the way real
// bundles do (form fields, header names, property accesses) and no secrets.
func MinifiedJS(seed uint64, n int) []byte {
	g := newGen(seed)
	b := &g.b
	b.WriteString(`"use strict";(self.webpackChunkapp=self.webpackChunkapp||[]).push([[` + fmt.Sprint(g.r.IntN(900)) + `],{`)
	id := 1000 + g.r.IntN(9000)
	short := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
		s := string(letters[g.r.IntN(len(letters))])
		if g.r.IntN(3) == 0 {
			s += string(letters[g.r.IntN(26)])
		}
		return s
	}
	for b.Len() < n {
		id += 1 + g.r.IntN(50)
		e, t, r := short(), short(), short()
		fmt.Fprintf(b, "%d:function(%s,%s,%s){", id, e, t, r)
		for range 2 + g.r.IntN(6) {
			a, c := short(), short()
			switch g.r.IntN(12) {
			case 0:
				fmt.Fprintf(b, `var %s=%s(%d),%s=%s.n(%s);`, a, r, g.r.IntN(99999), c, r, a)
			case 1:
				fmt.Fprintf(b, `function %s(%s){return %s.%s?%s.%s(%s):%q}`, a, c, c, g.camel(), c, g.camel(), c, g.sentence())
			case 2:
				fmt.Fprintf(b, `const %s={color:"#%s",background:"#%s",padding:"%dpx %dpx",borderRadius:%d};`, a, g.chars(hexLower, 6), g.chars(hexLower, 6), g.r.IntN(24), g.r.IntN(24), g.r.IntN(12))
			case 3:
				fmt.Fprintf(b, `%s.p+"static/js/"+%s+"."+{%d:"%s",%d:"%s",%d:"%s"}[%s]+".chunk.js";`, r, a, g.r.IntN(999), g.chars(hexLower, 8), g.r.IntN(999), g.chars(hexLower, 8), g.r.IntN(999), g.chars(hexLower, 8), a)
			case 4:
				fmt.Fprintf(b, `%s.createElement("input",{type:"password",name:"password",autoComplete:"current-password",placeholder:%q,onChange:function(%s){return %s(%s.target.value)}})`+";", e, g.sentence(), c, a, c)
			case 5:
				fmt.Fprintf(b, `%s.headers.Authorization="Bearer ".concat(%s.accessToken),%s.headers["X-CSRF-Token"]=%s.csrfToken;`, a, c, a, c)
			case 6:
				fmt.Fprintf(b, `var %s=/^[a-zA-Z0-9._%%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/,%s=/^(?=.*[A-Z])(?=.*\d).{8,}$/;`, a, c)
			case 7:
				fmt.Fprintf(b, `%s.exports=%s.p+"static/media/%s.%s.svg";`, e, r, g.word(), g.chars(hexLower, 20))
			case 8:
				fmt.Fprintf(b, `const %s="data:image/png;base64,%s";`, a, base64.StdEncoding.EncodeToString(g.bytesN(60+g.r.IntN(120))))
			case 9:
				fmt.Fprintf(b, `%s.token=%s.token||null,%s.refreshToken=%s.refresh_token,%s.expiresAt=Date.now()+1e3*%s.expires_in;`, a, c, a, c, a, c)
			case 10:
				fmt.Fprintf(b, `var %s={%s:%q,%s:%q,%s:%q,%s:%d};`, a, g.camel(), g.uuid(), g.camel(), g.sentence(), g.camel(), g.word(), g.camel(), g.r.IntN(1e6))
			default:
				fmt.Fprintf(b, `for(var %s=0;%s<%s.length;%s++)%s[%s]=%s.charCodeAt(%s)^%d;`, a, a, c, a, t, a, c, a, g.r.IntN(256))
			}
		}
		b.WriteString("},")
	}
	b.WriteString("}]);\n//# sourceMappingURL=main." + g.chars(hexLower, 8) + ".chunk.js.map\n")
	return b.Bytes()
}

// UTF16 encodes s as UTF-16, big-endian if bigEndian, after a byte order
// mark if bom: text as PowerShell and Windows editors write it.
func UTF16(s string, bigEndian, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			out = binary.BigEndian.AppendUint16(out, u)
		} else {
			out = binary.LittleEndian.AppendUint16(out, u)
		}
	}
	return out
}
