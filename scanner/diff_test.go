package scanner

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseHunkHeader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want hunkHeader
		ok   bool
	}{
		{"@@ -1,3 +1,4 @@", hunkHeader{1, 3, 1, 4}, true},
		{"@@ -0,0 +1 @@", hunkHeader{0, 0, 1, 1}, true},
		{"@@ -3 +3 @@ func main() {", hunkHeader{3, 1, 3, 1}, true},
		{"@@ -2,0 +3,2 @@ @@ x", hunkHeader{2, 0, 3, 2}, true},
		{"@@ -1 +0,0 @@", hunkHeader{1, 1, 0, 0}, true},
		{"@@ -1,2 +1,2", hunkHeader{}, false},
		{"@@ -a,2 +1,2 @@", hunkHeader{}, false},
		{"@@ -1,+2 +1,2 @@", hunkHeader{}, false},
		{"@@@ -1,2 -1,2 +1,3 @@@", hunkHeader{}, false},
		{"@@ -1,2 +1,99999999999 @@", hunkHeader{}, false},
		{"@@ -1, +1 @@", hunkHeader{}, false},
		{"@@ -0,0 +0,1 @@", hunkHeader{}, false},
		{"@@ -0,2 +1 @@", hunkHeader{}, false},
	} {
		got, ok := parseHunkHeader([]byte(tc.in))
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("parseHunkHeader(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestGitHeaderNameAndQuoting(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"a/x.txt b/x.txt", "x.txt"},
		{"a/with space b/with space", "with space"},
		{"a/a b/c b/a b/c", "a b/c"},
		{`"a/tab\there" "b/tab\there"`, "tab\there"},
		{`a/old "b/new\"q"`, `new"q`},
		{`"a/\303\251" "b/\303\251"`, "é"},
		{"a/x b/y", ""}, // a rename: named by its own headers
		{"a/x", ""},
		{`"a/unterminated`, ""},
	} {
		if got := gitHeaderName(tc.in); got != tc.want {
			t.Errorf("gitHeaderName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{`"a\\b\"c\n\001"`, "a\\b\"c\n\x01"},
		{`"bad\9"`, `"bad\9"`},
		{`"\400"`, `"\400"`},
		{`"x" y`, `"x" y`},
	} {
		if got := unquoteName(tc.in); got != tc.want {
			t.Errorf("unquoteName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// sampleDiff exercises the parser: content lines that look like headers,
// missing final newlines, an empty context line printed bare, quoted
// names, a binary file, a deletion, a submodule and an unmerged path.
const sampleDiff = `diff --git a/a.txt b/a.txt
index 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 100644
--- a/a.txt
+++ b/a.txt
@@ -1,4 +1,5 @@
 one
-two
++++ b/not-a-header
+diff --git a/x b/x
 three

\ No newline at end of file
diff --git "a/t\tb" "b/t\tb"
new file mode 100755
index 0000000000000000000000000000000000000000..3333333333333333333333333333333333333333
--- /dev/null
+++ "b/t\tb"
@@ -0,0 +1,2 @@
+x
+y
\ No newline at end of file
diff --git a/img.png b/img.png
index 4444444444444444444444444444444444444444..5555555555555555555555555555555555555555 100644
Binary files a/img.png and b/img.png differ
diff --git a/gone b/gone
deleted file mode 100644
index 6666666666666666666666666666666666666666..0000000000000000000000000000000000000000
--- a/gone
+++ /dev/null
@@ -1 +0,0 @@
-bye
diff --git a/old name b/new name
similarity index 90%
rename from old name
rename to new name
index 7777777777777777777777777777777777777777..8888888888888888888888888888888888888888 100644
--- a/old name	
+++ b/new name	
@@ -2 +2 @@ ctx
-b
+B
diff --git a/sub b/sub
new file mode 160000
index 0000000000000000000000000000000000000000..9999999999999999999999999999999999999999
--- /dev/null
+++ b/sub
@@ -0,0 +1 @@
+Subproject commit 9999999999999999999999999999999999999999
* Unmerged path conflict.txt
`

func TestParseDiff(t *testing.T) {
	t.Parallel()
	var got []fileDiff
	p := &diffParser{keep: true, limit: 1 << 20, onFile: func(f *fileDiff) error {
		got = append(got, *f)
		return nil
	}}
	if err := p.parse(strings.NewReader(sampleDiff)); err != nil {
		t.Fatal(err)
	}
	want := []fileDiff{
		{Path: "a.txt", Mode: "100644", Blob: "2222222222222222222222222222222222222222", Added: []LineRange{{2, 3}},
			Content: []byte("one\n+++ b/not-a-header\ndiff --git a/x b/x\nthree\n"), Size: 48, Hunks: 1, NewStart: 1},
		{Path: "t\tb", Mode: "100755", Blob: "3333333333333333333333333333333333333333", Added: []LineRange{{1, 2}},
			Content: []byte("x\ny"), Size: 3, Hunks: 1, NewStart: 1},
		{Path: "img.png", Mode: "100644", Blob: "5555555555555555555555555555555555555555", Binary: true},
		{Path: "gone", Blob: "0000000000000000000000000000000000000000", Deleted: true, Hunks: 1, NewStart: 0},
		{Path: "new name", Mode: "100644", Blob: "8888888888888888888888888888888888888888", Added: []LineRange{{2, 2}},
			Content: []byte("B\n"), Size: 2, Hunks: 1, NewStart: 2},
		{Path: "sub", Mode: "160000", Blob: "9999999999999999999999999999999999999999", Added: []LineRange{{1, 1}},
			Content: []byte("Subproject commit 9999999999999999999999999999999999999999\n"), Size: 59, Hunks: 1, NewStart: 1},
		{Path: "conflict.txt", Unmerged: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d files, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("file %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestParseDiffTreeCommits(t *testing.T) {
	t.Parallel()
	id1, id2 := strings.Repeat("a", 40), strings.Repeat("b", 64)
	in := id1 + "\n" +
		"diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+x\n" +
		id2 + " (from " + strings.Repeat("c", 64) + ")\n" +
		"diff --git a/y b/y\nold mode 100644\nnew mode 100755\n" +
		id2 + "\n"
	var events []string
	p := &diffParser{
		onCommit: func(id string) error { events = append(events, "commit "+id[:1]); return nil },
		onFile:   func(f *fileDiff) error { events = append(events, "file "+f.Path+" "+f.Mode); return nil },
	}
	if err := p.parse(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	want := []string{"commit a", "file x 100644", "commit b", "file y 100755", "commit b"}
	if !reflect.DeepEqual(events, want) {
		t.Errorf("events = %q, want %q", events, want)
	}
}

func TestParseDiffMalformed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		wantErr bool
	}{
		{"diff --git a/x b/x\n@@ -1,2 +1,2 @@\n x\n", true},       // cut short
		{"diff --git a/x b/x\n@@ -1 +1 @@\n?x\n", true},           // unknown line kind
		{"diff --git a/x b/x\n@@ -x +1 @@\n", true},               // bad header
		{"diff --git a/x b/x\n@@ -1 +1 @@\n x\n x\n+y\n", false},  // lines after the counts are header noise
		{"diff --git a/x b/x\n@@ -1 +1,2 @@\n+x\n+y\n+z\n", true}, // a third new line where an old one is due
	} {
		p := &diffParser{onFile: func(*fileDiff) error { return nil }}
		if err := p.parse(strings.NewReader(tc.in)); (err != nil) != tc.wantErr {
			t.Errorf("%q: err = %v, want error %v", tc.in, err, tc.wantErr)
		}
	}
}

func TestParseDiffLimit(t *testing.T) {
	t.Parallel()
	in := "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1,3 @@\n+" + strings.Repeat("a", 100) + "\n+b\n+c\n"
	var got *fileDiff
	p := &diffParser{keep: true, limit: 50, onFile: func(f *fileDiff) error { got = f; return nil }}
	if err := p.parse(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if !got.TooLarge || got.Content != nil || got.Size != 105 || !reflect.DeepEqual(got.Added, []LineRange{{1, 3}}) {
		t.Errorf("got %+v", got)
	}
}

func TestParseDiffLongLine(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 200<<10) // longer than the read buffer
	in := "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1,2 @@\n+" + long + "\n+end\n"
	var got *fileDiff
	p := &diffParser{keep: true, limit: 1 << 20, onFile: func(f *fileDiff) error { got = f; return nil }}
	if err := p.parse(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if string(got.Content) != long+"\nend\n" {
		t.Errorf("content of %d bytes, want %d", len(got.Content), len(long)+5)
	}
}

func TestIntersect(t *testing.T) {
	t.Parallel()
	a := []LineRange{{1, 5}, {8, 10}, {20, 20}}
	b := []LineRange{{3, 9}, {10, 12}, {19, 30}}
	want := []LineRange{{3, 5}, {8, 9}, {10, 10}, {20, 20}}
	if got := intersect(a, b); !reflect.DeepEqual(got, want) {
		t.Errorf("intersect = %v, want %v", got, want)
	}
	if got := intersect(a, nil); got != nil {
		t.Errorf("intersect with nothing = %v", got)
	}
}

func FuzzParseHunkHeader(f *testing.F) {
	for _, s := range []string{"@@ -1,3 +1,4 @@", "@@ -0,0 +1 @@ f", "@@ -3 +3 @@", "@@ -1, +1 @@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, ok := parseHunkHeader([]byte(s))
		if !ok {
			return
		}
		if h.OldStart < 0 || h.OldLines < 0 || h.NewStart < 0 || h.NewLines < 0 {
			t.Fatalf("negative field in %+v from %q", h, s)
		}
		again := fmt.Sprintf("@@ -%d,%d +%d,%d @@", h.OldStart, h.OldLines, h.NewStart, h.NewLines)
		if h2, ok := parseHunkHeader([]byte(again)); !ok || h2 != h {
			t.Fatalf("round trip of %q: %+v then %+v", s, h, h2)
		}
	})
}

func FuzzParseDiff(f *testing.F) {
	f.Add([]byte(sampleDiff), int64(1<<20))
	f.Add([]byte("diff --git a/x b/x\n@@ -1 +1,2 @@\n x\n+y\n\\ No newline at end of file\n"), int64(3))
	f.Add([]byte("diff --git a/x b/x\n+++ b/x\n@@ -0,0 +0,1 @@\n+x\n"), int64(100))
	f.Add([]byte(strings.Repeat("a", 40)+"\ndiff --git a/x b/x\n@@ -0,0 +1 @@\n+x\n"), int64(100))
	f.Fuzz(func(t *testing.T, data []byte, limit int64) {
		if limit < 0 {
			limit = -limit
		}
		p := &diffParser{keep: true, limit: limit,
			onCommit: func(string) error { return nil },
			onFile: func(fd *fileDiff) error {
				if int64(len(fd.Content)) > limit {
					t.Fatalf("content of %d bytes over the limit %d", len(fd.Content), limit)
				}
				prev := 0
				for _, r := range fd.Added {
					if r.Start > r.End || r.Start <= prev {
						t.Fatalf("added ranges not sorted and merged: %v", fd.Added)
					}
					prev = r.End + 1
				}
				return nil
			}}
		_ = p.parse(strings.NewReader(string(data)))
	})
}

func FuzzUnquoteName(f *testing.F) {
	for _, s := range []string{"plain", "tab\there", "é", `q"\`, "\x00\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := quoteC(s)
		if got := unquoteName(q); got != s {
			t.Fatalf("unquoteName(%q) = %q, want %q", q, got, s)
		}
		_ = unquoteName(s)
		_ = gitHeaderName(s)
	})
}

// quoteC quotes s the way git quotes a path.
func quoteC(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\%03o`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
