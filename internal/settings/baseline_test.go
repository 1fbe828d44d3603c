package settings

import "testing"

func TestBaselineFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		output, baseline string
		want             string
	}{
		{"default", "", "", DefaultBaseline},
		{"--baseline or the configuration's", "", "conf/bl", "conf/bl"},
		{"--output first", "out/bl", "conf/bl", "out/bl"},
	}
	for _, tt := range tests {
		if got := (Settings{Output: tt.output, Baseline: tt.baseline}).BaselineFile(); got != tt.want {
			t.Errorf("%s: BaselineFile = %q, want %q", tt.name, got, tt.want)
		}
	}
}
