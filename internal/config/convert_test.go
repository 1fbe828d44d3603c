package config

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/keylint/keylint/internal/clierr"
)

func TestConvert(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const gl = `title = "x"
[[rules]]
id = "my-token"
description = "my token"
regex = '''mytok_[a-z0-9]{20}'''
keywords = ["mytok_"]
[extend]
url = "https://example.invalid/gitleaks.toml"
`
	const keylint = `[[rules]]
id = 'my-token'
description = 'my token'
keywords = ['mytok_']
regex = '''mytok_[a-z0-9]{20}'''
`
	for name, data := range map[string]string{".gitleaks.toml": gl, "other.toml": keylint} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		file      string
		rules     int
		wantErr   string
		wantUsage bool
	}{
		{name: "gitleaks", file: ".gitleaks.toml", rules: 1},
		{name: "not named gitleaks", file: "other.toml", wantErr: filepath.Join(dir, "other.toml") + " is not a gitleaks configuration (its name does not say gitleaks)", wantUsage: true},
		{name: "missing", file: "gitleaks-missing.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, unsupported, err := Convert(context.Background(), filepath.Join(dir, tt.file))
			switch {
			case tt.file == "gitleaks-missing.toml":
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("err = %v, want a missing file", err)
				}
			case tt.wantErr != "":
				if err == nil || err.Error() != tt.wantErr || clierr.IsUsage(err) != tt.wantUsage {
					t.Errorf("err = %v, want the usage error %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			default:
				if len(f.Rules) != tt.rules || len(unsupported) == 0 {
					t.Errorf("converted %d rules (want %d), not converted %q (want extend.url)", len(f.Rules), tt.rules, unsupported)
				}
			}
		})
	}
}
