package okta

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssoaudit/ssoaudit/audit"
)

// decodeAppUser reads one app user (with expand=user) from dec, keeping
// what the rules read — id, credentials.userName and
// _embedded.user.profile.email — and skipping the rest unread.
//
// Users.json is the largest file ssoaudit reads (100,000 users are ~90 MB),
// so its decoder does not track duplicate names, which costs on every
// member of every user. Duplicates matter only where a value is read: a
// user with two credentials.userName is ambiguous (one reader takes the
// first, another the last), and a stale username could hide behind a
// current one, so a second copy of any name on the path to a value read
// here is refused. A duplicate among the members skipped cannot change a
// verdict.
func decodeAppUser(dec *jsontext.Decoder, u *audit.User) error {
	return readMembers(dec, []string{"id", "credentials", "_embedded"}, func(i int) error {
		switch i {
		case 0:
			return json.UnmarshalDecode(dec, &u.ID)
		case 1:
			return readMembers(dec, []string{"userName"}, func(int) error {
				return json.UnmarshalDecode(dec, &u.UserName)
			})
		}
		return readMembers(dec, []string{"user"}, func(int) error {
			return readMembers(dec, []string{"profile"}, func(int) error {
				return readMembers(dec, []string{"email"}, func(int) error {
					return json.UnmarshalDecode(dec, &u.Email)
				})
			})
		})
	})
}

// errDuplicateName is decodeAppUser's error for a name it reads, twice.
var errDuplicateName = errors.New("a duplicate name")

// readMembers reads an object (null reads as an empty one, as it does
// into a struct), calling read with the index in names of each member it
// names and skipping the others. A name of names seen twice is an error.
func readMembers(dec *jsontext.Decoder, names []string, read func(i int) error) error {
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		return err
	case '{':
	default:
		// The decoder's own error for a value that is not an object
		// (or a syntax error), with its JSON pointer.
		var obj struct{}
		return json.UnmarshalDecode(dec, &obj)
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	var seen uint64
	for dec.PeekKind() != '}' {
		// The name's raw bytes, unquoted without a copy unless it has
		// escapes ("user\u004eame" is userName too).
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		name := raw[1 : len(raw)-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			if name, err = jsontext.AppendUnquote(nil, raw); err != nil {
				return err
			}
		}
		i := slices.IndexFunc(names, func(n string) bool { return string(name) == n })
		if i < 0 {
			if err := dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		if seen&(1<<i) != 0 {
			return fmt.Errorf("%w: %q twice at %s: which one Okta meant cannot be told", errDuplicateName, names[i], dec.StackPointer())
		}
		seen |= 1 << i
		if err := read(i); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}
