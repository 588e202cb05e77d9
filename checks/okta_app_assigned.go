package checks

import (
	"fmt"

	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:        "okta.app.assigned",
		Title:     "Someone is assigned to the Druva app",
		Severity:  audit.High,
		Reference: "Druva guide, Configure the inSync Management Console to use Okta, step 5 (\"Import the users on the Okta admin page and assign users\")",
		Location:  audit.Location{Input: audit.InputUsers},
		Needs:     []audit.Input{audit.InputUsers},
		Requires:  []audit.FactType{assignedUsers},
		Check:     checkAppAssigned,
	})
}

func checkAppAssigned(t *audit.Target) audit.Result {
	read := assignedUsers.Of(t)
	if !read.loaded {
		return usersNotLoaded(t, "cannot tell whether anyone is assigned")
	}
	ev := audit.Evidence{}.Add("expected", "at least one assigned user").Add("users", read.tally.total)
	switch {
	case read.err != nil:
		// Fail closed: a list that could not be read is no verdict, even
		// when some users were read before it broke.
		r := audit.Error(fmt.Sprintf("could not read every assigned user (stopped after %s): %v", usersCount(read.tally.total), read.err), ev.Add("read_error", read.err.Error()))
		// The file is the problem, not the assignments: fix the data first
		// (and share one fix block with the other rules the file blocked).
		r.Remediation = audit.UsersFix(t.Source)
		return r
	case read.tally.total == 0:
		return audit.Fail("no one is assigned to the app: Okta signs nobody in to Druva through it (group assignments would show in the users list too)", ev)
	}
	return audit.Pass(fmt.Sprintf("%s %s assigned to the app", usersCount(read.tally.total), isAre(read.tally.total)), ev)
}
