package corpus

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// TreeStats describes a tree written by [WriteTree].
type TreeStats struct {
	Files int
	Bytes int64
}

// WriteTree writes a deterministic source tree of about size bytes in
// nfiles files under dir: real Go source read from goSrc (the Go
// toolchain's own source, on every machine) for about three quarters of the
// bytes, and synthetic web and configuration files (JavaScript, YAML, JSON,
// .env, INI) with a fake credential planted about every secretEvery bytes
// for the rest. Files are spread over nested directories, 100 to a
// directory.
func WriteTree(dir, goSrc string, nfiles int, size int64, secretEvery int, seed uint64) (TreeStats, error) {
	var st TreeStats
	goBudget := size * 3 / 4
	goFiles, err := GoFiles(goSrc, int(goBudget))
	if err != nil {
		return st, fmt.Errorf("reading Go source under %s: %w", goSrc, err)
	}
	if len(goFiles) == 0 {
		return st, fmt.Errorf("no Go source under %s", goSrc)
	}
	mixed := MixedFiles(seed, int(size-goBudget), secretEvery)
	if len(mixed) == 0 {
		return st, fmt.Errorf("no synthetic files generated")
	}
	per := size / int64(nfiles)
	gi, mi := 0, 0
	for i := 0; i < nfiles; i++ {
		// Three Go files for every synthetic one, cut or joined to the
		// target size per file so the tree has nfiles files of size bytes.
		var content []byte
		var ext string
		if i%4 != 3 {
			for int64(len(content)) < per {
				content = append(content, goFiles[gi%len(goFiles)]...)
				gi++
			}
			ext = ".go"
		} else {
			for int64(len(content)) < per {
				content = append(content, mixed[mi%len(mixed)]...)
				mi++
			}
			ext = [...]string{".js", ".yaml", ".json", ".env", ".ini"}[mi%5]
		}
		content = cut(content, per)
		sub := filepath.Join(dir, fmt.Sprintf("d%03d", i/10000), fmt.Sprintf("d%03d", (i/100)%100))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return st, err
		}
		name := filepath.Join(sub, fmt.Sprintf("f%05d%s", i, ext))
		if err := os.WriteFile(name, content, 0o644); err != nil {
			return st, err
		}
		st.Files++
		st.Bytes += int64(len(content))
	}
	return st, nil
}

// cut trims content to at most n bytes, at a line end where there is one.
func cut(content []byte, n int64) []byte {
	if int64(len(content)) <= n {
		return content
	}
	c := content[:n]
	if i := bytes.LastIndexByte(c, '\n'); i > len(c)/2 {
		c = c[:i+1]
	}
	return c
}

// GoSrc returns $(go env GOROOT)/src, the real source text the corpus is
// built from: the Go toolchain's own source, present on every machine that
// builds keylint.
func GoSrc() (string, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	root := strings.TrimSpace(string(out))
	if root == "" {
		return "", fmt.Errorf("go env GOROOT printed nothing")
	}
	return filepath.Join(root, "src"), nil
}
