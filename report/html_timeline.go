package report

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/keylint/keylint/scanner"
)

// The timeline is drawn in a fixed coordinate space that the browser
// scales to the page width.
const (
	tlWidth   = 960
	tlLeft    = 56  // x of the earliest date
	tlRight   = 904 // x of the latest date
	tlTop     = 14  // space above the highest mark
	tlRadius  = 6
	tlLane    = 16 // vertical distance between stacked marks
	tlGap     = 14 // space between the lowest mark and the axis
	tlBottom  = 34 // space for the tick labels
	tlMaxLane = 12 // marks beyond this many lanes overlap
)

// htmlTimeline is the inline SVG of when each secret entered the history.
type htmlTimeline struct {
	Width, Height int
	AxisY         int
	Left, Right   int
	TickTop       int
	LabelY        int
	From, To      string
	Ticks         []htmlTick
	Marks         []htmlMark
	Legend        []htmlLegend
}

// htmlLegend is one entry of the timeline's legend.
type htmlLegend struct {
	Class, Label string
}

// htmlTick is a labelled date on the timeline's axis.
type htmlTick struct {
	X     string
	Label string
}

// htmlMark is one secret on the timeline.
type htmlMark struct {
	X, Y   string
	Radius int
	Class  string
	Title  string
	Anchor string
}

// newTimeline places each finding that has a dated location at the
// earliest of its dates. It returns nil when no finding has a date, and
// the number of findings left out for having none.
func newTimeline(fs []scanner.Finding, anchor map[*scanner.Finding]string) (*htmlTimeline, int) {
	type point struct {
		t time.Time
		f *scanner.Finding
	}
	var pts []point
	undated := 0
	for i := range fs {
		if t := firstSeen(&fs[i]); !t.IsZero() {
			pts = append(pts, point{t, &fs[i]})
		} else {
			undated++
		}
	}
	if len(pts) == 0 {
		return nil, undated
	}
	// fs is sorted, so ties keep a fixed order.
	slices.SortStableFunc(pts, func(a, b point) int {
		return cmp.Or(a.t.Compare(b.t), cmp.Compare(b.f.Severity.Rank(), a.f.Severity.Rank()))
	})

	first, last := pts[0].t, pts[len(pts)-1].t
	lo, hi := first.UTC(), last.UTC()
	if span := hi.Sub(lo); span < 24*time.Hour {
		mid := lo.Add(span / 2)
		lo, hi = mid.Add(-15*24*time.Hour), mid.Add(15*24*time.Hour)
	} else {
		pad := max(span/25, 12*time.Hour)
		lo, hi = lo.Add(-pad), hi.Add(pad)
	}
	x := func(t time.Time) float64 {
		return tlLeft + float64(t.Sub(lo))/float64(hi.Sub(lo))*(tlRight-tlLeft)
	}

	// Stack marks that would overlap into lanes, lowest lane first.
	var laneEnd []float64
	lanes := make([]int, len(pts))
	for i, p := range pts {
		px := x(p.t)
		lane := -1
		for j, end := range laneEnd {
			if px-end >= 2*tlRadius+2 {
				lane = j
				break
			}
		}
		if lane < 0 && len(laneEnd) < tlMaxLane {
			lane = len(laneEnd)
			laneEnd = append(laneEnd, 0)
		}
		if lane < 0 { // all lanes busy: use the one that frees up first
			lane = 0
			for j, end := range laneEnd {
				if end < laneEnd[lane] {
					lane = j
				}
			}
		}
		laneEnd[lane] = px
		lanes[i] = lane
	}

	axisY := tlTop + tlRadius + (len(laneEnd)-1)*tlLane + tlRadius + tlGap
	tl := &htmlTimeline{
		Width: tlWidth, Height: axisY + tlBottom, AxisY: axisY,
		Left: tlLeft - 16, Right: tlRight + 16,
		TickTop: axisY + 5, LabelY: axisY + 22,
		From: humanDate(first), To: humanDate(last),
	}
	for _, t := range ticks(lo, hi) {
		tl.Ticks = append(tl.Ticks, htmlTick{X: coord(x(t.at)), Label: t.label})
	}
	present := map[string]bool{}
	for i, p := range pts {
		present[severityClass(p.f.Severity)] = true
		state := "live"
		if !p.f.InHead {
			state = "gone"
		}
		present[state] = true
		where := ""
		if len(p.f.Locations) > 0 {
			where = " in " + p.f.Locations[0].Path
		}
		tl.Marks = append(tl.Marks, htmlMark{
			X:      coord(x(p.t)),
			Y:      strconv.Itoa(axisY - tlGap - tlRadius - lanes[i]*tlLane),
			Radius: tlRadius,
			Class:  "mark " + severityClass(p.f.Severity) + " " + state,
			Title: Sanitize(severityName(p.f.Severity) + ": " + cmp.Or(p.f.Description, p.f.RuleID) + " (" + p.f.Secret + "), first committed " +
				humanDate(p.t) + where),
			Anchor: anchor[p.f],
		})
	}
	for _, e := range []htmlLegend{
		{"critical", "Critical"}, {"high", "High"}, {"medium", "Medium"}, {"low", "Low"}, {"other", "Other"},
		{"live", "Filled: still in the current code"}, {"gone", "Ring: in the history only"},
	} {
		if present[e.Class] {
			tl.Legend = append(tl.Legend, e)
		}
	}
	return tl, undated
}

// coord formats an SVG coordinate with one decimal.
func coord(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// tick is a date on the timeline's axis and its label.
type tick struct {
	at    time.Time
	label string
}

// tickSteps are the axis spacings tried, finest first.
var tickSteps = [...]struct {
	years, months, days int
	layout              string
}{
	{0, 0, 1, "2 Jan 2006"},
	{0, 0, 2, "2 Jan 2006"},
	{0, 0, 7, "2 Jan 2006"},
	{0, 0, 14, "2 Jan 2006"},
	{0, 1, 0, "Jan 2006"},
	{0, 2, 0, "Jan 2006"},
	{0, 3, 0, "Jan 2006"},
	{0, 6, 0, "Jan 2006"},
	{1, 0, 0, "2006"},
	{2, 0, 0, "2006"},
	{5, 0, 0, "2006"},
	{10, 0, 0, "2006"},
	{25, 0, 0, "2006"},
	{50, 0, 0, "2006"},
	{100, 0, 0, "2006"},
}

// ticks returns at most 7 evenly spaced calendar dates (UTC) between lo
// and hi, on the finest step that gives no more than that.
func ticks(lo, hi time.Time) []tick {
	const most = 7
	for _, s := range tickSteps {
		// Align the first tick to a whole step.
		var t time.Time
		switch {
		case s.years > 0:
			t = time.Date(lo.Year()/s.years*s.years, 1, 1, 0, 0, 0, 0, time.UTC)
		case s.months > 0:
			m := (int(lo.Month())-1)/s.months*s.months + 1
			t = time.Date(lo.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		default:
			t = time.Date(lo.Year(), lo.Month(), lo.Day(), 0, 0, 0, 0, time.UTC)
		}
		var out []tick
		for ; !t.After(hi) && len(out) <= most; t = t.AddDate(s.years, s.months, s.days) {
			if !t.Before(lo) {
				out = append(out, tick{t, t.Format(s.layout)})
			}
		}
		if len(out) <= most {
			return out
		}
	}
	return nil
}
