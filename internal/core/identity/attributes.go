package identity

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/store"
)

// AttributeOperation is one UpdateUser/UpdateGroup operation: set the
// attribute at Path to the JSON document Value; a nil Value or JSON null
// removes it.
type AttributeOperation struct {
	Path  string
	Value json.RawMessage
}

// Filter is a legacy ListUsers/ListGroups filter (exact match).
type Filter struct {
	AttributePath, AttributeValue string
}

// UniqueAttribute names a user or group by a unique attribute (GetUserId,
// GetGroupId); Value is a JSON document (a string for the supported paths).
type UniqueAttribute struct {
	Path  string
	Value json.RawMessage
}

// AlternateIdentifier is GetUserId/GetGroupId's union: exactly one field set.
type AlternateIdentifier struct {
	ExternalID      *store.ExternalID
	UniqueAttribute *UniqueAttribute
}

var (
	// The model's patterns for user names and free text.
	userNamePattern  = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)
	textPattern      = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r \x{00A0}\x{3000}]+$`)
	extensionPattern = regexp.MustCompile(`^aws:identitystore:[a-z]{1,20}$`)
)

// reservedNames cannot be used for users or groups.
var reservedNames = []string{"Administrator", "AWSAdministrators"}

func isReserved(name string) bool {
	for _, r := range reservedNames {
		if strings.EqualFold(name, r) {
			return true
		}
	}
	return false
}

func checkText(field, v string) error {
	if v == "" {
		return nil
	}
	if utf8.RuneCountInString(v) > maxStringLength {
		return fault.Validationf("%s must be at most %d characters long.", field, maxStringLength)
	}
	if !textPattern.MatchString(v) {
		return fault.Validationf("%s contains characters that are not allowed.", field)
	}
	return nil
}

func countPrimary(ps ...*bool) int {
	n := 0
	for _, p := range ps {
		if p != nil && *p {
			n++
		}
	}
	return n
}

// validateUser checks a complete user as the identitystore API stores it:
// the directory's rules (validateUserRecord) and the attributes the API
// requires (Name with GivenName and FamilyName).
func validateUser(u store.User) error {
	if err := validateUserRecord(u); err != nil {
		return err
	}
	if a := u.Attributes; a.Name == nil || a.Name.GivenName == "" || a.Name.FamilyName == "" {
		return fault.Validationf("Name with GivenName and FamilyName is required.")
	}
	return nil
}

// validateUserRecord checks a complete user against the rules of the
// directory, whoever writes it (the identitystore API, SCIM): user name,
// display name, text patterns and lengths, multi-valued attribute counts,
// extensions and external ids.
func validateUserRecord(u store.User) error {
	switch {
	case u.UserName == "":
		return fault.Validationf("UserName is required.")
	case utf8.RuneCountInString(u.UserName) > maxUserName:
		return fault.Validationf("UserName must be at most %d characters long.", maxUserName)
	case !userNamePattern.MatchString(u.UserName):
		return fault.Validationf("UserName contains characters that are not allowed.")
	case isReserved(u.UserName):
		return fault.Validationf("UserName %s is reserved and cannot be used.", u.UserName)
	}
	a := u.Attributes
	if a.DisplayName == "" {
		return fault.Validationf("DisplayName is required.")
	}
	var n store.Name
	if a.Name != nil {
		n = *a.Name
	}
	texts := map[string]string{
		"DisplayName": a.DisplayName, "NickName": a.NickName, "ProfileUrl": a.ProfileURL, "UserType": a.UserType,
		"Title": a.Title, "PreferredLanguage": a.PreferredLanguage, "Locale": a.Locale, "Timezone": a.Timezone,
		"Website": a.Website, "Birthdate": a.Birthdate,
		"Name.Formatted": n.Formatted, "Name.FamilyName": n.FamilyName, "Name.GivenName": n.GivenName,
		"Name.MiddleName": n.MiddleName, "Name.HonorificPrefix": n.HonorificPrefix,
		"Name.HonorificSuffix": n.HonorificSuffix,
	}
	for f, v := range texts {
		if err := checkText(f, v); err != nil {
			return err
		}
	}
	multi := []struct {
		name string
		n    int
		max  int
	}{
		{"Emails", len(a.Emails), 1}, {"Addresses", len(a.Addresses), 1}, {"PhoneNumbers", len(a.PhoneNumbers), 1},
		{"Roles", len(a.Roles), 1}, {"Photos", len(a.Photos), 3},
	}
	for _, m := range multi {
		if m.n > m.max {
			return fault.Validationf("%s must contain at most %d item(s).", m.name, m.max)
		}
	}
	for _, e := range a.Emails {
		if err := firstErr(checkText("Emails.Value", e.Value), checkText("Emails.Type", e.Type)); err != nil {
			return err
		}
	}
	for _, p := range a.PhoneNumbers {
		if err := firstErr(checkText("PhoneNumbers.Value", p.Value), checkText("PhoneNumbers.Type", p.Type)); err != nil {
			return err
		}
	}
	for _, r := range a.Roles {
		if err := firstErr(checkText("Roles.Value", r.Value), checkText("Roles.Type", r.Type)); err != nil {
			return err
		}
	}
	for _, ad := range a.Addresses {
		if err := firstErr(checkText("Addresses.StreetAddress", ad.StreetAddress), checkText("Addresses.Locality", ad.Locality),
			checkText("Addresses.Region", ad.Region), checkText("Addresses.PostalCode", ad.PostalCode),
			checkText("Addresses.Country", ad.Country), checkText("Addresses.Formatted", ad.Formatted),
			checkText("Addresses.Type", ad.Type)); err != nil {
			return err
		}
	}
	var photoPrimary []*bool
	for _, p := range a.Photos {
		if p.Value == "" {
			return fault.Validationf("Photos.Value is required.")
		}
		if err := firstErr(checkText("Photos.Value", p.Value), checkText("Photos.Type", p.Type), checkText("Photos.Display", p.Display)); err != nil {
			return err
		}
		photoPrimary = append(photoPrimary, p.Primary)
	}
	if countPrimary(photoPrimary...) > 1 {
		return fault.Validationf("At most one of Photos can be primary.")
	}
	if len(a.Extensions) > maxExtensions {
		return fault.Validationf("Extensions must contain at most %d entries.", maxExtensions)
	}
	for k, v := range a.Extensions {
		if !extensionPattern.MatchString(k) {
			return fault.Validationf("Extension name %s is not valid; it must match aws:identitystore:[a-z]{1,20}.", k)
		}
		if !isJSONObject(v) {
			return fault.Validationf("Extension %s must be a JSON object.", k)
		}
	}
	return validateExternalIDs(u.ExternalIDs)
}

func validateGroup(g store.Group) error {
	switch {
	case g.DisplayName == "":
		return fault.Validationf("DisplayName is required.")
	case isReserved(g.DisplayName):
		return fault.Validationf("DisplayName %s is reserved and cannot be used.", g.DisplayName)
	}
	if err := firstErr(checkText("DisplayName", g.DisplayName), checkText("Description", g.Description)); err != nil {
		return err
	}
	return validateExternalIDs(g.ExternalIDs)
}

func validateExternalIDs(ids []store.ExternalID) error {
	if len(ids) > maxExternalIDs {
		return fault.Validationf("ExternalIds must contain at most %d items.", maxExternalIDs)
	}
	seen := map[store.ExternalID]bool{}
	for _, e := range ids {
		if e.Issuer == "" || e.ID == "" {
			return fault.Validationf("ExternalId requires both Issuer and Id.")
		}
		if len(e.Issuer) > 256 || len(e.ID) > 256 {
			return fault.Validationf("ExternalId Issuer and Id must be at most 256 characters long.")
		}
		if seen[e] {
			return fault.Validationf("ExternalIds contains a duplicate entry.")
		}
		seen[e] = true
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}

// isNull reports whether an operation's value removes the attribute.
func isNull(v json.RawMessage) bool {
	t := bytes.TrimSpace(v)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// decodeStrict decodes a JSON document into dst, rejecting unknown fields and
// trailing data. Field names match case-insensitively, so both the
// documented camelCase ("value", "primary") and the PascalCase some SDKs
// send are accepted.
func decodeStrict(path string, v json.RawMessage, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fault.Validationf("Invalid value for attribute %s: %v", path, err)
	}
	if dec.More() {
		return fault.Validationf("Invalid value for attribute %s: trailing data", path)
	}
	return nil
}

func decodeString(path string, v json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fault.Validationf("Invalid value for attribute %s: a string is required.", path)
	}
	if s == "" {
		return "", fault.Validationf("Invalid value for attribute %s: the value must not be empty.", path)
	}
	return s, nil
}

// stringField describes a string attribute reachable by an update path.
type stringField struct {
	get       func(*store.User) *string
	removable bool
}

func nameField(f func(*store.Name) *string) func(*store.User) *string {
	return func(u *store.User) *string {
		if u.Attributes.Name == nil {
			u.Attributes.Name = &store.Name{}
		}
		return f(u.Attributes.Name)
	}
}

// userStringPaths are keyed by the lower-cased AWS attribute path.
var userStringPaths = map[string]stringField{
	"username":             {func(u *store.User) *string { return &u.UserName }, false},
	"displayname":          {func(u *store.User) *string { return &u.Attributes.DisplayName }, false},
	"nickname":             {func(u *store.User) *string { return &u.Attributes.NickName }, true},
	"profileurl":           {func(u *store.User) *string { return &u.Attributes.ProfileURL }, true},
	"usertype":             {func(u *store.User) *string { return &u.Attributes.UserType }, true},
	"title":                {func(u *store.User) *string { return &u.Attributes.Title }, true},
	"preferredlanguage":    {func(u *store.User) *string { return &u.Attributes.PreferredLanguage }, true},
	"locale":               {func(u *store.User) *string { return &u.Attributes.Locale }, true},
	"timezone":             {func(u *store.User) *string { return &u.Attributes.Timezone }, true},
	"website":              {func(u *store.User) *string { return &u.Attributes.Website }, true},
	"birthdate":            {func(u *store.User) *string { return &u.Attributes.Birthdate }, true},
	"name.formatted":       {nameField(func(n *store.Name) *string { return &n.Formatted }), true},
	"name.familyname":      {nameField(func(n *store.Name) *string { return &n.FamilyName }), true},
	"name.givenname":       {nameField(func(n *store.Name) *string { return &n.GivenName }), true},
	"name.middlename":      {nameField(func(n *store.Name) *string { return &n.MiddleName }), true},
	"name.honorificprefix": {nameField(func(n *store.Name) *string { return &n.HonorificPrefix }), true},
	"name.honorificsuffix": {nameField(func(n *store.Name) *string { return &n.HonorificSuffix }), true},
}

// applyUserOp applies one operation to u.
func applyUserOp(u *store.User, op AttributeOperation) error {
	path := strings.ToLower(op.Path)
	remove := isNull(op.Value)
	if f, ok := userStringPaths[path]; ok {
		p := f.get(u)
		if remove {
			if !f.removable {
				return fault.Validationf("Attribute %s is required and cannot be removed.", op.Path)
			}
			*p = ""
			return nil
		}
		s, err := decodeString(op.Path, op.Value)
		if err != nil {
			return err
		}
		*p = s
		return nil
	}
	a := &u.Attributes
	switch path {
	case "name":
		if remove {
			a.Name = nil
			return nil
		}
		var n store.Name
		if err := decodeStrict(op.Path, op.Value, &n); err != nil {
			return err
		}
		a.Name = &n
		return nil
	case "emails":
		return decodeList(op, remove, &a.Emails)
	case "addresses":
		return decodeList(op, remove, &a.Addresses)
	case "phonenumbers":
		return decodeList(op, remove, &a.PhoneNumbers)
	case "photos":
		return decodeList(op, remove, &a.Photos)
	case "roles":
		return decodeList(op, remove, &a.Roles)
	}
	if extensionPattern.MatchString(op.Path) {
		if remove {
			delete(a.Extensions, op.Path)
			return nil
		}
		if !isJSONObject(op.Value) {
			return fault.Validationf("Invalid value for attribute %s: a JSON object is required.", op.Path)
		}
		if a.Extensions == nil {
			a.Extensions = map[string][]byte{}
		}
		a.Extensions[op.Path] = append([]byte(nil), bytes.TrimSpace(op.Value)...)
		return nil
	}
	return fault.Validationf("Invalid attribute path: %s", op.Path)
}

func decodeList[T any](op AttributeOperation, remove bool, dst *[]T) error {
	if remove {
		*dst = nil
		return nil
	}
	var items []T
	if err := decodeStrict(op.Path, op.Value, &items); err != nil {
		return err
	}
	*dst = items
	return nil
}

// applyGroupOp applies one operation to g.
func applyGroupOp(g *store.Group, op AttributeOperation) error {
	remove := isNull(op.Value)
	switch strings.ToLower(op.Path) {
	case "displayname":
		if remove {
			return fault.Validationf("Attribute %s is required and cannot be removed.", op.Path)
		}
		s, err := decodeString(op.Path, op.Value)
		if err != nil {
			return err
		}
		g.DisplayName = s
	case "description":
		if remove {
			g.Description = ""
			return nil
		}
		s, err := decodeString(op.Path, op.Value)
		if err != nil {
			return err
		}
		g.Description = s
	default:
		return fault.Validationf("Invalid attribute path: %s", op.Path)
	}
	return nil
}

func checkOperations(ops []AttributeOperation) error {
	if len(ops) == 0 || len(ops) > maxOperations {
		return fault.Validationf("Operations must contain between 1 and %d items.", maxOperations)
	}
	for _, op := range ops {
		if op.Path == "" {
			return fault.Validationf("AttributePath is required.")
		}
	}
	return nil
}

// uniqueString decodes a UniqueAttribute value, which must be a JSON string.
func uniqueString(a *UniqueAttribute) (string, error) {
	var s string
	if err := json.Unmarshal(a.Value, &s); err != nil || s == "" {
		return "", fault.Validationf("AttributeValue for %s must be a non-empty string.", a.Path)
	}
	return s, nil
}

func alternateErr(alt AlternateIdentifier) error {
	n := 0
	if alt.ExternalID != nil {
		n++
	}
	if alt.UniqueAttribute != nil {
		n++
	}
	if n != 1 {
		return fault.Validationf("AlternateIdentifier must set exactly one of ExternalId and UniqueAttribute.")
	}
	if alt.ExternalID != nil && (alt.ExternalID.Issuer == "" || alt.ExternalID.ID == "") {
		return fault.Validationf("ExternalId requires both Issuer and Id.")
	}
	return nil
}
