package telemetry

// Identifiers that begin like some providers' key prefixes (sig_, hba_,
// cal_live_, standard_, pa-, nk-, tlk_, chpt_, rsk_) without being keys.

const (
	sig_handler_installed = true
	hba_port_count        = 4
	cal_live_update_every = 30 // seconds between live calibration updates
)

var standard_deviation_window = []float64{0.5, 1, 2}

// Flags accepted by the collector.
var flags = []string{"pa-verbose", "nk-retries", "tlk_mode", "chpt_index", "rsk_threshold"}
