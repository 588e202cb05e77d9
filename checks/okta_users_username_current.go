package checks

import (
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// usersMaxExamples bounds how many users a result names: enough to start
// fixing, few enough for a report (an org may assign 100,000 users).
const usersMaxExamples = 5

// usersExample is one user a result names. The email is included because it
// is what the username should be; it is personal data, not a secret, and the
// username beside it usually reveals as much.
type usersExample struct {
	ID       string `json:"id"`
	UserName string `json:"username"`
	Email    string `json:"email"`
}

func init() {
	register(&audit.Rule{
		ID:       "okta.users.username-current",
		Title:    "Every assigned user's app username is their email",
		Severity: audit.High,
		Reference: "Druva guide, Configuring the Okta Druva App, Prerequisite (\"Due to a known issue with Okta, the username mapping " +
			"cannot be changed for existing users after the initial setup\")",
		Location: audit.Location{Input: audit.InputUsers},
		Needs:    []audit.Input{audit.InputUsers},
		Requires: []audit.FactType{assignedUsers},
		Check:    checkUsersUsername,
	})
}

// usersTally counts what the users stream held, keeping a few examples.
type usersTally struct {
	total, stale, noEmail, noUserName int
	examples                          []usersExample
}

func (c *usersTally) add(u audit.User) {
	c.total++
	switch {
	case u.Email == "":
		c.noEmail++
	case u.UserName == "":
		c.noUserName++
	case !strings.EqualFold(u.UserName, u.Email):
		c.stale++
		if len(c.examples) < usersMaxExamples {
			c.examples = append(c.examples, usersExample{ID: u.ID, UserName: u.UserName, Email: u.Email})
		}
	}
}

func (c *usersTally) evidence() audit.Evidence {
	ev := audit.Evidence{}.
		Add("expected", "every user's credentials.userName equals their profile.email (ignoring case)").
		Add("users", c.total).
		Add("stale", c.stale)
	if c.noEmail > 0 {
		ev = ev.Add("no_email", c.noEmail)
	}
	if c.noUserName > 0 {
		ev = ev.Add("no_username", c.noUserName)
	}
	if len(c.examples) > 0 {
		ev = ev.Add("examples", c.examples)
	}
	return ev
}

// usersNotLoaded is the error of a users rule given a target whose users
// were never loaded: what it cannot tell, and the data's fix.
func usersNotLoaded(t *audit.Target, cannot string) audit.Result {
	r := audit.Error("the app's users were not loaded (okta/users.json): "+cannot, nil)
	r.Remediation = audit.UsersFix(t.Source)
	return r
}

func checkUsersUsername(t *audit.Target) audit.Result {
	read := assignedUsers.Of(t)
	if !read.loaded {
		return usersNotLoaded(t, "cannot compare usernames with emails")
	}
	c := read.tally
	if err := read.err; err != nil {
		msg := fmt.Sprintf("could not read every assigned user (stopped after %s): %v", usersCount(c.total), err)
		if c.stale > 0 {
			msg += fmt.Sprintf("; %d of the users read %s an app username that is not their email", c.stale, usersHave(c.stale))
		}
		r := audit.Error(msg, c.evidence().Add("read_error", err.Error()))
		// The file is the problem, not the usernames: fix the data first.
		r.Remediation = audit.UsersFix(t.Source)
		return r
	}

	if c.total == 0 {
		return audit.Skip("no users are assigned to the app", c.evidence())
	}
	unverifiable := c.unverifiableNote()
	if c.stale > 0 {
		msg := fmt.Sprintf("%d of %d assigned users %s an app username that is not their email, so Druva receives a stale name (e.g. %s)",
			c.stale, c.total, usersHave(c.stale), usersDescribe(c.examples[0]))
		if unverifiable != "" {
			msg += "; also " + unverifiable
		}
		r := audit.Fail(msg, c.evidence())
		// Located at the first user it names, in okta/users.json.
		r.ItemID = c.examples[0].ID
		return r
	}
	if unverifiable != "" {
		r := audit.Error("cannot verify every username: "+unverifiable, c.evidence())
		r.Remediation = audit.UsersFix(t.Source)
		return r
	}
	if c.total == 1 {
		return audit.Pass("the one assigned user's app username is their email", c.evidence())
	}
	return audit.Pass(fmt.Sprintf("all %d assigned users' app usernames are their emails", c.total), c.evidence())
}

// unverifiableNote says which users could not be checked, and the likely
// cause: users.json saved without expand=user carries no profile.
func (c *usersTally) unverifiableNote() string {
	var parts []string
	if c.noEmail > 0 {
		parts = append(parts, fmt.Sprintf("%s no email: was users.json fetched with expand=user?", usersCountHave(c.noEmail)))
	}
	if c.noUserName > 0 {
		parts = append(parts, fmt.Sprintf("%s no app username (credentials.userName)", usersCountHave(c.noUserName)))
	}
	return strings.Join(parts, "; ")
}

func usersDescribe(u usersExample) string {
	return fmt.Sprintf("user %s has username %q but email %q", u.ID, u.UserName, u.Email)
}

// usersHave is the verb for n users: "has" or "have".
func usersHave(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

// usersCountHave says "1 user has" or "n users have".
func usersCountHave(n int) string { return usersCount(n) + " " + usersHave(n) }

// usersCount says "1 user" or "n users".
func usersCount(n int) string {
	if n == 1 {
		return "1 user"
	}
	return fmt.Sprintf("%d users", n)
}
