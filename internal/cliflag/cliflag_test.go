package cliflag

import (
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"10MiB", 10 << 20, true}, {"512k", 512 << 10, true}, {"1GB", 1e9, true}, {"1048576", 1 << 20, true},
		{"1.5m", 3 << 19, true}, {"", 0, false}, {"-1", 0, false}, {"ten", 0, false}, {"99999999TB", 0, false},
	} {
		got, err := ParseSize(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseSize(%q) = %d, %v", tc.in, got, err)
		}
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 5, 10, 12, 0, 0, 0, time.Local)
	for _, tc := range []struct {
		in   string
		end  bool
		want time.Time
	}{
		{"2024-01-31", false, time.Date(2024, 1, 31, 0, 0, 0, 0, time.Local)},
		{"2024-01-31", true, time.Date(2024, 1, 31, 23, 59, 59, 999999999, time.Local)},
		{"2024-01-31T10:00:00Z", false, time.Date(2024, 1, 31, 10, 0, 0, 0, time.UTC)},
		{"2024-01-31 10:30", false, time.Date(2024, 1, 31, 10, 30, 0, 0, time.Local)},
		{"2 weeks ago", false, now.AddDate(0, 0, -14)},
		{"1 day ago", false, now.AddDate(0, 0, -1)},
		{"3 hours ago", false, now.Add(-3 * time.Hour)},
	} {
		got, err := ParseDate(tc.in, now, tc.end)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%q: %v %v, want %v", tc.in, got, err, tc.want)
		}
	}
	if _, err := ParseDate("tomorrow-ish", now, false); err == nil {
		t.Error("bad date accepted")
	}
}
