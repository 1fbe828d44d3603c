package console

import (
	"fmt"

	"github.com/keylint/keylint/hooks"
	"github.com/keylint/keylint/report"
)

// HookChange says what happened to a hook, in one line.
func HookChange(c hooks.Change) string {
	p := report.Sanitize(c.Path)
	prev := report.Sanitize(c.Previous)
	switch c.Action {
	case hooks.Installed, hooks.Updated:
		msg := fmt.Sprintf("keylint: %s hook %s: %s", c.Hook, c.Action, p)
		switch {
		case c.PreviousRuns:
			msg += fmt.Sprintf(" (the earlier hook kept at %s runs first)", prev)
		case prev != "":
			msg += fmt.Sprintf(" (the earlier hook kept at %s does not run; uninstall puts it back)", prev)
		}
		return msg
	case hooks.Chained:
		return fmt.Sprintf("keylint: %s hook installed: %s; the hook that was there is kept at %s and runs first", c.Hook, p, prev)
	case hooks.Replaced:
		return fmt.Sprintf("keylint: %s hook installed over the existing one (--force): %s; it is kept at %s and no longer runs", c.Hook, p, prev)
	case hooks.Removed:
		return fmt.Sprintf("keylint: %s hook removed: %s", c.Hook, p)
	case hooks.Restored:
		return fmt.Sprintf("keylint: %s hook removed; the previous hook is back at %s", c.Hook, p)
	case hooks.Foreign:
		if prev != "" {
			return fmt.Sprintf("keylint: %s: %s is not keylint's hook, left alone (an earlier hook is kept at %s)", c.Hook, p, prev)
		}
		return fmt.Sprintf("keylint: %s: %s is not keylint's hook, left alone", c.Hook, p)
	default:
		return fmt.Sprintf("keylint: %s: no keylint hook at %s", c.Hook, p)
	}
}
