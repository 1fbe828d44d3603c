package report

import "testing"

func TestSanitize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "config/app.env", "config/app.env"},
		{"space and unicode", "src/my app/ünïcödé/配置.go", "src/my app/ünïcödé/配置.go"},
		{"emoji with joiner", "👩‍💻.txt", "👩‍💻.txt"},
		{"backslash kept", `C:\repo\a.txt`, `C:\repo\a.txt`},
		{"replacement character kept", "a\uFFFDb", "a\uFFFDb"},
		{"ESC sequence", "a\x1b[31mred", `a\x1B[31mred`},
		{"OSC title", "\x1b]0;pwned\x07", `\x1B]0;pwned\x07`},
		{"CR LF TAB", "a\r\nb\tc", `a\x0D\x0Ab\x09c`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7F`},
		{"C1 CSI", "a\u009b31m", `a\u{009B}31m`},
		{"C1 NEL", "a\u0085b", `a\u{0085}b`},
		{"line separator", "a\u2028b\u2029c", `a\u{2028}b\u{2029}c`},
		{"bidi override", "evil\u202Etxt.exe", `evil\u{202E}txt.exe`},
		{"bidi embeddings", "\u202A\u202B\u202C\u202D", `\u{202A}\u{202B}\u{202C}\u{202D}`},
		{"bidi isolates", "\u2066\u2067\u2068\u2069", `\u{2066}\u{2067}\u{2068}\u{2069}`},
		{"bidi marks", "\u200E\u200F\u061C", `\u{200E}\u{200F}\u{061C}`},
		{"invalid UTF-8", "a\xffb\xc2", `a\xFFb\xC2`},
		{"raw 8-bit CSI byte", "a\x9b31m", `a\x9B31m`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Sanitize(tt.in)
			if got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Sanitize(got); again != got {
				t.Errorf("Sanitize is not idempotent on %q: %q", got, again)
			}
		})
	}
}

func TestEscapeJSON(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`"plain ünïcödé"`, `"plain ünïcödé"`},
		{"\"a\u202Eb\"", `"a\u202eb"`},
		{"\"a\u009bb\u007f\"", `"a\u009bb\u007f"`},
		{"\"\u2066x\u2069\"", `"\u2066x\u2069"`},
	}
	for _, tt := range tests {
		if got := string(escapeJSON([]byte(tt.in))); got != tt.want {
			t.Errorf("escapeJSON(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSafeLineStart(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"::add-mask::x", "./::add-mask::x"},
		{"  ::stop-commands::tok", "./  ::stop-commands::tok"},
		{"##[error]x", "./##[error]x"},
		{"src/::odd", "src/::odd"},
		{"a.go", "a.go"},
	} {
		if got := SafeLineStart(tc.in); got != tc.want {
			t.Errorf("SafeLineStart(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
