package scanner

import (
	"strings"
	"testing"

	"github.com/keylint/keylint/internal/corpus"
)

// utf16Script is a UTF-16 script whose third line holds U+010A, a
// character with a 0x0A byte: git, which counts 0x0A bytes, sees one line
// more than an editor from there on.
func utf16Script(lines []string, be, bom bool) string {
	return string(corpus.UTF16(strings.Join(lines, "\r\n")+"\r\n", be, bom))
}

// TestStagedEncoded stages edits of files git calls binary but keylint
// reads as text (UTF-16 in both byte orders, text with a stray NUL): only
// the added lines are reported, at the editor's line; a binary file's
// strings are scanned whole.
func TestStagedEncoded(t *testing.T) {
	t.Parallel()
	type edit struct {
		be, bom bool
	}
	for _, e := range []edit{{false, true}, {true, true}, {false, false}, {true, false}} {
		r := newStagedRepo(t)
		old, tok := diffToken(t), diffToken(t)
		base := []string{"one", "$old = '" + old + "'", "\u010a three"}
		r.commit("base", map[string]string{"a.ps1": utf16Script(base, e.be, e.bom)})
		r.write(map[string]string{"a.ps1": utf16Script(append(base, "four", "$new = '"+tok+"'"), e.be, e.bom)})
		r.git("add", "a.ps1")
		res := r.scanStaged(r.dir)
		checkRepoLocs(t, res, repoWant{"fake-token", "a.ps1", 5, 9})
		if res.Summary.Silenced["unchanged-line"] != 1 {
			t.Errorf("be=%v bom=%v: silenced %v, want the old key as unchanged-line", e.be, e.bom, res.Summary.Silenced)
		}
	}

	r := newStagedRepo(t)
	old, tok, bin := diffToken(t), diffToken(t), diffToken(t)
	filler := strings.Repeat("text line\n", 30)
	r.commit("base", map[string]string{"n.txt": "a\x00b\nold " + old + "\n" + filler})
	elf := "\x7fELF\x02\x01\x01\x00" + strings.Repeat("\x00", 200)
	r.write(map[string]string{
		"n.txt":    "a\x00b\nold " + old + "\n" + filler + "new " + tok + "\n",
		"tool.bin": elf + "\n" + elf + bin + "\x00" + elf,
	})
	r.git("add", "-A")
	res := r.scanStaged(r.dir)
	checkRepoLocs(t, res, repoWant{"fake-token", "n.txt", 33, 5}, repoWant{"fake-token", "tool.bin", 2, len(elf) + 1})
}

// TestCommitsEncoded is TestStagedEncoded for a pushed commit.
func TestCommitsEncoded(t *testing.T) {
	t.Parallel()
	r := newStagedRepo(t)
	old, tok, bin := diffToken(t), diffToken(t), diffToken(t)
	base := []string{"one", "$old = '" + old + "'", "\u010a three"}
	r.commit("base", map[string]string{"a.ps1": utf16Script(base, false, true)})
	first := r.head()
	r.commit("edit", map[string]string{
		"a.ps1":    utf16Script(append(base, "four", "$new = '"+tok+"'"), false, true),
		"tool.bin": strings.Repeat("\x00\x01\x02\x03", 50) + bin + "\x00",
	})
	res := r.scanCommits(&Commits{Include: []string{r.head()}, Exclude: []string{first}})
	checkRepoLocs(t, res, repoWant{"fake-token", "a.ps1", 5, 9}, repoWant{"fake-token", "tool.bin", 1, 201})
}
