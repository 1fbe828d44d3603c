package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/keylint/keylint/scanner"
	"gopkg.in/yaml.v3"
)

// docBlock is a fenced code block of a Markdown file.
type docBlock struct {
	file, lang, text string
	line             int
}

// docBlocks returns the fenced code blocks of the user documentation.
func docBlocks(t *testing.T) []docBlock {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	files = append([]string{filepath.Join("..", "..", "README.md")}, files...)
	var out []docBlock
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cur *docBlock
		var b strings.Builder
		for i, line := range strings.Split(string(data), "\n") {
			trimmed := strings.TrimSpace(line)
			if !strings.HasPrefix(trimmed, "```") {
				if cur != nil {
					b.WriteString(line + "\n")
				}
				continue
			}
			if cur == nil {
				cur = &docBlock{file: filepath.Base(f), lang: strings.TrimPrefix(trimmed, "```"), line: i + 1}
				b.Reset()
				continue
			}
			cur.text = b.String()
			out = append(out, *cur)
			cur = nil
		}
	}
	return out
}

// TestREADMEConfigExamples: every TOML example of the documentation is a
// configuration keylint loads, whose rules pass `keylint rules test`, and
// whose own examples are not reported from the file that defines them.
func TestREADMEConfigExamples(t *testing.T) {
	n := 0
	for _, b := range docBlocks(t) {
		if b.lang != "toml" {
			continue
		}
		n++
		dir := t.TempDir()
		cfg := filepath.Join(dir, ".keylint.toml")
		write(t, cfg, b.text)
		where := b.file + ":" + itoa(b.line)
		if r := runCLI(t, dir, "", "rules", "test", ".keylint.toml"); r.code != 0 || strings.Contains(r.stdout, "FAIL") || strings.Contains(r.stdout, "WARN") {
			t.Errorf("%s: keylint rules test: exit %d\n%s%s", where, r.code, r.stdout, r.stderr)
		}
		if r := runCLI(t, dir, "", "config"); r.code != 0 {
			t.Errorf("%s: keylint config: exit %d\n%s", where, r.code, r.stderr)
		}
		// Scanning the directory: the configuration's own rule examples are
		// not findings.
		r := runCLI(t, dir, "", "scan", "-f", "json", ".")
		if r.code == exitUsage || strings.Contains(r.stdout, ".keylint.toml") {
			t.Errorf("%s: scanning the example's own directory: exit %d\n%s%s", where, r.code, r.stdout, r.stderr)
		}
	}
	if n == 0 {
		t.Fatal("the README has no TOML example")
	}
}

var shellWord = regexp.MustCompile(`"[^"]*"|'[^']*'|\S+`)

// keylintCommands returns the keylint command lines of a shell block, as
// arguments: lines that run keylint (or go run ./cmd/keylint), alone or
// after a pipe, without their comment.
func keylintCommands(text string) [][]string {
	var out [][]string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		if i := strings.LastIndex(line, "| "); i >= 0 {
			line = line[i+2:]
		}
		line = strings.TrimSpace(line)
		line = strings.Replace(line, "go run ./cmd/keylint ", "keylint ", 1)
		if !strings.HasPrefix(line, "keylint ") {
			continue
		}
		var args []string
		for _, w := range shellWord.FindAllString(line, -1)[1:] {
			args = append(args, strings.Trim(w, `"'`))
		}
		out = append(out, args)
	}
	return out
}

// TestREADMEShellExamples: every keylint command line of the documentation
// names a command and flags keylint has (each is run with --help appended,
// which parses every flag before it and runs nothing).
func TestREADMEShellExamples(t *testing.T) {
	n := 0
	for _, b := range docBlocks(t) {
		if b.lang != "sh" {
			continue
		}
		for _, args := range keylintCommands(b.text) {
			n++
			if len(args) > 0 && args[len(args)-1] == "--" {
				args = args[:len(args)-1]
			}
			r := runCLI(t, t.TempDir(), "", append(args, "--help")...)
			if r.code != 0 || r.stdout == "" {
				t.Errorf("%s:%d: keylint %s: exit %d\n%s", b.file, b.line, strings.Join(args, " "), r.code, r.stderr)
			}
		}
	}
	if n < 10 {
		t.Fatalf("found %d keylint command lines in the documentation; the extraction is broken", n)
	}
}

// TestREADMEWorkflowExamples: the workflow examples use only inputs the
// action declares, and the pre-commit examples name the same release.
func TestREADMEWorkflowExamples(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	revs := map[string]bool{}
	for _, b := range docBlocks(t) {
		if b.lang != "yaml" {
			continue
		}
		var doc any
		if err := yaml.Unmarshal([]byte(b.text), &doc); err != nil {
			t.Errorf("%s:%d: %v", b.file, b.line, err)
			continue
		}
		walkYAML(doc, func(m map[string]any) {
			if uses, _ := m["uses"].(string); strings.HasPrefix(uses, "keylint/keylint@") {
				with, _ := m["with"].(map[string]any)
				for k := range with {
					if _, ok := action.Inputs[k]; !ok {
						t.Errorf("%s:%d: input %q is not an input of action.yml", b.file, b.line, k)
					}
				}
			}
			if rev, ok := m["rev"].(string); ok {
				revs[rev] = true
			}
		})
	}
	hooks, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`rev: (\S+)`).FindAllStringSubmatch(string(hooks), -1) {
		revs[m[1]] = true
	}
	if len(revs) > 1 {
		t.Errorf("the pre-commit examples name different releases: %v", revs)
	}
}

func walkYAML(v any, visit func(map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		visit(v)
		for _, c := range v {
			walkYAML(c, visit)
		}
	case []any:
		for _, c := range v {
			walkYAML(c, visit)
		}
	}
}

// TestREADMEJSONExample: the JSON finding in the README uses the field
// names keylint writes.
func TestREADMEJSONExample(t *testing.T) {
	known := map[string]bool{}
	for _, typ := range []reflect.Type{reflect.TypeOf(scanner.Finding{}), reflect.TypeOf(scanner.Location{})} {
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			known[name] = true
		}
	}
	n := 0
	for _, b := range docBlocks(t) {
		if b.lang != "json" {
			continue
		}
		n++
		var v any
		if err := json.Unmarshal([]byte(b.text), &v); err != nil {
			t.Errorf("%s:%d: %v", b.file, b.line, err)
			continue
		}
		var check func(any)
		check = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, c := range v {
					if !known[k] {
						t.Errorf("%s:%d: field %q is not a field of a finding", b.file, b.line, k)
					}
					check(c)
				}
			case []any:
				for _, c := range v {
					check(c)
				}
			}
		}
		check(v)
	}
	if n == 0 {
		t.Fatal("no JSON example")
	}
}

// TestREADMELength: the README stays a user's guide; design and
// measurement notes belong in docs/.
func TestREADMELength(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n > 500 {
		t.Errorf("README.md has %d lines, at most 500: move details to docs/", n)
	}
}
