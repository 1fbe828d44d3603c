package scanner

// peakBuffer is the largest buffer s allocated for one item.
func peakBuffer(s *Scanner) int64 { return s.peakBuf.Load() }
