package report

import (
	"slices"
	"strings"

	"github.com/keylint/keylint/scanner"
)

// checklist returns the remediation steps for f, in the order they should
// be done: revoke, rotate, replace with a secret-manager reference, purge
// the history (only when the secret is in it), review the provider's access
// logs, tell the owners.
func checklist(f *scanner.Finding) []htmlStep {
	provider := "the provider"
	if f.Provider != "" {
		provider = Sanitize(f.Provider)
	}
	paths := map[string]bool{}
	commits := map[string]bool{}
	var authors []string
	for _, l := range f.Locations {
		paths[l.Path] = true
		if l.Commit != "" {
			commits[l.Commit] = true
		}
		if a := author(l); a != "" {
			authors = append(authors, Sanitize(a))
		}
	}
	slices.Sort(authors)
	authors = slices.Compact(authors)
	since := "it was first committed"
	if t := firstSeen(f); !t.IsZero() {
		since = humanDate(t) + ", when it was first committed"
	}

	steps := []htmlStep{
		{
			Title:  "Revoke the key",
			Detail: Sanitize(remediation(*f)),
			Notes:  []string{"Do this first: until the key is revoked, anyone who has seen it can use it."},
		},
		{
			Title: "Rotate: issue a replacement",
			Detail: "Create a new key at " + provider + " with only the permissions it needs, and put it everywhere the old one was used (" +
				plural(len(paths), "file", "files") + " listed above).",
		},
		{
			Title:  "Replace it with a secret-manager reference",
			Detail: "Keep the new key out of the code: have the application read it at run time from a secret manager (such as Vault, AWS Secrets Manager, Google Secret Manager or Azure Key Vault) or from the CI system's secret store.",
		},
	}
	if f.BrowserExposed {
		steps[2].Notes = append(steps[2].Notes, "Every visitor's browser can read this key. Move the calls that need it to a backend that holds the key, and keep it out of front-end code and public build variables.")
	}
	if inHistory(f) {
		d := "The key stays readable in every copy of the repository"
		if n := len(commits); n > 0 {
			d += " (it is in " + plural(n, "commit", "commits") + ")"
		}
		d += ". If your policy or the key's sensitivity requires it, rewrite the history with git filter-repo or BFG Repo-Cleaner, force-push, and ask everyone to clone again. Forks, caches and old clones may still hold copies, so revoking the key is what protects you."
		steps = append(steps, htmlStep{Title: "Purge it from the git history", Detail: d})
	}
	steps = append(steps,
		htmlStep{
			Title:  "Review the provider's access logs",
			Detail: "Look in " + provider + "'s access or audit logs for any use of the key since " + since + ", especially from unknown places, and investigate anything you cannot explain.",
		},
		htmlStep{
			Title:  "Tell the owners",
			Detail: "Tell the key's owner and your security team what leaked, for how long, and what was done.",
		},
	)
	if len(authors) > 0 {
		steps[len(steps)-1].Notes = append(steps[len(steps)-1].Notes, "Committed by: "+strings.Join(authors, ", ")+".")
	}
	return steps
}
