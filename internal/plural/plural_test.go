package plural

import "testing"

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n           int
		of, counted string
	}{
		{0, "files were", "0 files were"},
		{1, "file was", "1 file was"},
		{2, "files were", "2 files were"},
		{-1, "files were", "-1 files were"},
	} {
		if got := Of(tc.n, "file was", "files were"); got != tc.of {
			t.Errorf("Of(%d) = %q, want %q", tc.n, got, tc.of)
		}
		if got := Count(tc.n, "file was", "files were"); got != tc.counted {
			t.Errorf("Count(%d) = %q, want %q", tc.n, got, tc.counted)
		}
	}
}
