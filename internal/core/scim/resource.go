package scim

import (
	"encoding/json"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/idcenter/idcenter/internal/store"
)

// enterpriseExtension is the identity store extension holding the SCIM
// enterprise user attributes.
const enterpriseExtension = "aws:identitystore:enterprise"

// maxStringLength bounds every string attribute of a document (the
// identity core's rules check the stored record again).
const maxStringLength = 1024

// ignoredUserAttrs are accepted in requests and dropped: read-only ones and
// ones the identity store does not keep.
var ignoredUserAttrs = map[string]bool{"id": true, "meta": true, "schemas": true, "password": true,
	"groups": true, "ims": true, "entitlements": true, "x509certificates": true}

var ignoredGroupAttrs = map[string]bool{"id": true, "meta": true, "schemas": true}

// lookup finds name in m case-insensitively (exact match first).
func lookup(m map[string]any, name string) (string, any, bool) {
	if v, ok := m[name]; ok {
		return name, v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return k, v, true
		}
	}
	return "", nil, false
}

// reader takes attributes out of a document and reports the unknown ones.
type reader struct {
	m     map[string]any
	used  map[string]bool
	where string
}

func newReader(m map[string]any, where string) *reader {
	return &reader{m: m, used: map[string]bool{}, where: where}
}

func (r *reader) take(name string) (any, bool) {
	var v any
	found := false
	for k, x := range r.m {
		if strings.EqualFold(k, name) {
			r.used[k] = true
			if !found || k == name {
				v, found = x, true
			}
		}
	}
	return v, found && v != nil
}

func (r *reader) field(name string) string {
	if r.where == "" {
		return name
	}
	return r.where + "." + name
}

func (r *reader) str(name string) (string, error) {
	v, ok := r.take(name)
	if !ok {
		return "", nil
	}
	return asString(r.field(name), v)
}

func (r *reader) boolean(name string) (*bool, error) {
	v, ok := r.take(name)
	if !ok {
		return nil, nil
	}
	b, err := asBool(r.field(name), v)
	return &b, err
}

// rest fails on attributes not taken, other than the ignored ones and
// objects keyed by an unknown schema URN (custom extensions).
func (r *reader) rest(ignored map[string]bool) error {
	var unknown []string
	for k, v := range r.m {
		if r.used[k] || ignored[strings.ToLower(k)] {
			continue
		}
		if _, isObj := v.(map[string]any); isObj && strings.HasPrefix(strings.ToLower(k), "urn:") && r.where == "" {
			continue
		}
		unknown = append(unknown, r.field(k))
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return invalid(ScimTypeInvalidSyntax, "Unknown attribute(s): %s.", strings.Join(unknown, ", "))
	}
	return nil
}

func asString(field string, v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		if utf8.RuneCountInString(x) > maxStringLength {
			return "", invalid(ScimTypeInvalidValue, "Attribute %s must be at most %d characters long.", field, maxStringLength)
		}
		return x, nil
	}
	return "", invalid(ScimTypeInvalidValue, "Attribute %s must be a string.", field)
}

// asBool accepts true/false, the strings "True"/"False" (Entra ID) and a
// one-element list [{"value": …}].
func asBool(field string, v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	case []any:
		if len(x) == 1 {
			if m, ok := x[0].(map[string]any); ok {
				if _, inner, ok := lookup(m, "value"); ok {
					return asBool(field, inner)
				}
			}
		}
	case map[string]any:
		if _, inner, ok := lookup(x, "value"); ok {
			return asBool(field, inner)
		}
	}
	return false, invalid(ScimTypeInvalidValue, "Attribute %s must be a boolean.", field)
}

// asObjects accepts a list of objects, or one object.
func asObjects(field string, v any) ([]map[string]any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return []map[string]any{x}, nil
	case []any:
		out := make([]map[string]any, 0, len(x))
		for _, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, invalid(ScimTypeInvalidValue, "Attribute %s must be a list of objects.", field)
			}
			out = append(out, m)
		}
		return out, nil
	}
	return nil, invalid(ScimTypeInvalidValue, "Attribute %s must be a list of objects.", field)
}

// pickOne keeps the primary value, else the first: the identity store keeps
// one value of each multi-valued attribute.
func pickOne[T any](items []T, primary func(T) bool) []T {
	if len(items) <= 1 {
		return items
	}
	for _, it := range items {
		if primary(it) {
			return []T{it}
		}
	}
	return items[:1]
}

func isTrue(p *bool) bool { return p != nil && *p }

// multi decodes a multi-valued complex attribute with the given string
// sub-attributes (plus "primary" and "display", which is dropped).
func multi[T any](r *reader, name string, subs []string, build func(map[string]string, *bool) T, primary func(T) bool) ([]T, error) {
	v, ok := r.take(name)
	if !ok {
		return nil, nil
	}
	objs, err := asObjects(r.field(name), v)
	if err != nil {
		return nil, err
	}
	var out []T
	for _, o := range objs {
		er := newReader(o, r.field(name))
		vals := map[string]string{}
		empty := true
		for _, s := range subs {
			x, err := er.str(s)
			if err != nil {
				return nil, err
			}
			vals[s] = x
			if x != "" && s != "type" {
				empty = false
			}
		}
		p, err := er.boolean("primary")
		if err != nil {
			return nil, err
		}
		er.take("display")
		er.take("$ref")
		if err := er.rest(nil); err != nil {
			return nil, err
		}
		if empty {
			continue
		}
		out = append(out, build(vals, p))
	}
	return pickOne(out, primary), nil
}

// userFromDoc maps a SCIM user document onto cur (the stored user, or a new
// one): the SCIM attributes are replaced, the identity store attributes SCIM
// does not carry (website, birthdate, other extensions, other issuers'
// external ids) are kept.
func userFromDoc(d map[string]any, cur store.User, issuer string) (store.User, error) {
	u := cur
	r := newReader(d, "")
	var err error
	if u.UserName, err = r.str("userName"); err != nil {
		return u, err
	}
	ext, err := r.str("externalId")
	if err != nil {
		return u, err
	}
	u.ExternalIDs = withExternalID(cur.ExternalIDs, issuer, ext)
	active, err := r.boolean("active")
	if err != nil {
		return u, err
	}
	u.Status = "ENABLED"
	if active != nil && !*active {
		u.Status = "DISABLED"
	}
	a := cur.Attributes
	for _, f := range []struct {
		name string
		dst  *string
	}{{"displayName", &a.DisplayName}, {"nickName", &a.NickName}, {"profileUrl", &a.ProfileURL}, {"title", &a.Title},
		{"userType", &a.UserType}, {"preferredLanguage", &a.PreferredLanguage}, {"locale", &a.Locale}, {"timezone", &a.Timezone}} {
		if *f.dst, err = r.str(f.name); err != nil {
			return u, err
		}
	}
	a.Name = nil
	if v, ok := r.take("name"); ok {
		m, isObj := v.(map[string]any)
		if !isObj {
			return u, invalid(ScimTypeInvalidValue, "Attribute name must be an object.")
		}
		nr := newReader(m, "name")
		var n store.Name
		for _, f := range []struct {
			name string
			dst  *string
		}{{"formatted", &n.Formatted}, {"familyName", &n.FamilyName}, {"givenName", &n.GivenName},
			{"middleName", &n.MiddleName}, {"honorificPrefix", &n.HonorificPrefix}, {"honorificSuffix", &n.HonorificSuffix}} {
			if *f.dst, err = nr.str(f.name); err != nil {
				return u, err
			}
		}
		if err := nr.rest(nil); err != nil {
			return u, err
		}
		if n != (store.Name{}) {
			a.Name = &n
		}
	}
	if a.Emails, err = multi(r, "emails", []string{"value", "type"}, func(v map[string]string, p *bool) store.Email {
		return store.Email{Value: v["value"], Type: v["type"], Primary: p}
	}, func(e store.Email) bool { return isTrue(e.Primary) }); err != nil {
		return u, err
	}
	if a.PhoneNumbers, err = multi(r, "phoneNumbers", []string{"value", "type"}, func(v map[string]string, p *bool) store.PhoneNumber {
		return store.PhoneNumber{Value: v["value"], Type: v["type"], Primary: p}
	}, func(e store.PhoneNumber) bool { return isTrue(e.Primary) }); err != nil {
		return u, err
	}
	if a.Addresses, err = multi(r, "addresses", []string{"streetAddress", "locality", "region", "postalCode", "country", "formatted", "type"},
		func(v map[string]string, p *bool) store.Address {
			return store.Address{StreetAddress: v["streetAddress"], Locality: v["locality"], Region: v["region"],
				PostalCode: v["postalCode"], Country: v["country"], Formatted: v["formatted"], Type: v["type"], Primary: p}
		}, func(e store.Address) bool { return isTrue(e.Primary) }); err != nil {
		return u, err
	}
	if a.Photos, err = multi(r, "photos", []string{"value", "type"}, func(v map[string]string, p *bool) store.Photo {
		return store.Photo{Value: v["value"], Type: v["type"], Primary: p}
	}, func(e store.Photo) bool { return isTrue(e.Primary) }); err != nil {
		return u, err
	}
	if a.Roles, err = multi(r, "roles", []string{"value", "type"}, func(v map[string]string, p *bool) store.Role {
		return store.Role{Value: v["value"], Type: v["type"], Primary: p}
	}, func(e store.Role) bool { return isTrue(e.Primary) }); err != nil {
		return u, err
	}
	ent, err := enterpriseFromDoc(r)
	if err != nil {
		return u, err
	}
	a.Extensions = copyExtensions(cur.Attributes.Extensions)
	delete(a.Extensions, enterpriseExtension)
	if ent != nil {
		if a.Extensions == nil {
			a.Extensions = map[string][]byte{}
		}
		a.Extensions[enterpriseExtension] = ent
	}
	if err := r.rest(ignoredUserAttrs); err != nil {
		return u, err
	}
	if a.DisplayName == "" {
		a.DisplayName = defaultDisplayName(u.UserName, a.Name)
	}
	u.Attributes = a
	return u, nil // the directory's rules are the identity core's (InsertUser, ReplaceUser)
}

func copyExtensions(m map[string][]byte) map[string][]byte {
	if m == nil {
		return nil
	}
	out := make(map[string][]byte, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// defaultDisplayName: the identity store requires a display name; identity
// providers do not always send one.
func defaultDisplayName(userName string, n *store.Name) string {
	if n != nil {
		if n.Formatted != "" {
			return n.Formatted
		}
		if s := strings.TrimSpace(n.GivenName + " " + n.FamilyName); s != "" {
			return s
		}
	}
	return userName
}

// enterprise is the stored form of the enterprise extension.
type enterprise struct {
	EmployeeNumber string   `json:"employeeNumber,omitempty"`
	CostCenter     string   `json:"costCenter,omitempty"`
	Organization   string   `json:"organization,omitempty"`
	Division       string   `json:"division,omitempty"`
	Department     string   `json:"department,omitempty"`
	Manager        *manager `json:"manager,omitempty"`
}

type manager struct {
	Value       string `json:"value,omitempty"`
	Ref         string `json:"$ref,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

func enterpriseFromDoc(r *reader) ([]byte, error) {
	v, ok := r.take(enterpriseURN)
	if !ok {
		return nil, nil
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		return nil, invalid(ScimTypeInvalidValue, "Attribute %s must be an object.", enterpriseURN)
	}
	er := newReader(m, enterpriseURN)
	var e enterprise
	var err error
	for _, f := range []struct {
		name string
		dst  *string
	}{{"employeeNumber", &e.EmployeeNumber}, {"costCenter", &e.CostCenter}, {"organization", &e.Organization},
		{"division", &e.Division}, {"department", &e.Department}} {
		if *f.dst, err = er.str(f.name); err != nil {
			return nil, err
		}
	}
	if mv, ok := er.take("manager"); ok {
		var mg manager
		switch x := mv.(type) {
		case string: // Entra ID sends the manager's id as a bare string
			mg.Value = x
		case map[string]any:
			mr := newReader(x, enterpriseURN+".manager")
			if mg.Value, err = mr.str("value"); err != nil {
				return nil, err
			}
			if mg.Ref, err = mr.str("$ref"); err != nil {
				return nil, err
			}
			if mg.DisplayName, err = mr.str("displayName"); err != nil {
				return nil, err
			}
			if err := mr.rest(nil); err != nil {
				return nil, err
			}
		default:
			return nil, invalid(ScimTypeInvalidValue, "Attribute %s.manager must be an object.", enterpriseURN)
		}
		if mg != (manager{}) {
			e.Manager = &mg
		}
	}
	if err := er.rest(nil); err != nil {
		return nil, err
	}
	if e == (enterprise{}) {
		return nil, nil
	}
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// withExternalID replaces the issuer's entry of ids by id (removes it when id is empty).
func withExternalID(ids []store.ExternalID, issuer, id string) []store.ExternalID {
	var out []store.ExternalID
	replaced := false
	for _, e := range ids {
		if e.Issuer == issuer {
			if id != "" && !replaced {
				out = append(out, store.ExternalID{Issuer: issuer, ID: id})
				replaced = true
			}
			continue
		}
		out = append(out, e)
	}
	if id != "" && !replaced {
		out = append(out, store.ExternalID{Issuer: issuer, ID: id})
	}
	return out
}

func externalIDOf(ids []store.ExternalID, issuer string) string {
	for _, e := range ids {
		if e.Issuer == issuer {
			return e.ID
		}
	}
	return ""
}

// userDoc is the SCIM representation of u (meta.location is the adapter's).
func userDoc(u store.User, issuer string) map[string]any {
	a := u.Attributes
	d := map[string]any{
		"schemas":  []any{UserSchema},
		"id":       u.UserID,
		"userName": u.UserName,
		"active":   u.Status != "DISABLED",
		"meta":     meta("User", u.CreatedAt, u.UpdatedAt),
	}
	put := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	put("externalId", externalIDOf(u.ExternalIDs, issuer))
	put("displayName", a.DisplayName)
	put("nickName", a.NickName)
	put("profileUrl", a.ProfileURL)
	put("title", a.Title)
	put("userType", a.UserType)
	put("preferredLanguage", a.PreferredLanguage)
	put("locale", a.Locale)
	put("timezone", a.Timezone)
	if n := a.Name; n != nil {
		nm := map[string]any{}
		for k, v := range map[string]string{"formatted": n.Formatted, "familyName": n.FamilyName, "givenName": n.GivenName,
			"middleName": n.MiddleName, "honorificPrefix": n.HonorificPrefix, "honorificSuffix": n.HonorificSuffix} {
			if v != "" {
				nm[k] = v
			}
		}
		d["name"] = nm
	}
	obj := func(kv map[string]string, primary *bool) map[string]any {
		m := map[string]any{}
		for k, v := range kv {
			if v != "" {
				m[k] = v
			}
		}
		if primary != nil {
			m["primary"] = *primary
		}
		return m
	}
	if len(a.Emails) > 0 {
		var l []any
		for _, e := range a.Emails {
			l = append(l, obj(map[string]string{"value": e.Value, "type": e.Type}, e.Primary))
		}
		d["emails"] = l
	}
	if len(a.PhoneNumbers) > 0 {
		var l []any
		for _, e := range a.PhoneNumbers {
			l = append(l, obj(map[string]string{"value": e.Value, "type": e.Type}, e.Primary))
		}
		d["phoneNumbers"] = l
	}
	if len(a.Addresses) > 0 {
		var l []any
		for _, e := range a.Addresses {
			l = append(l, obj(map[string]string{"streetAddress": e.StreetAddress, "locality": e.Locality, "region": e.Region,
				"postalCode": e.PostalCode, "country": e.Country, "formatted": e.Formatted, "type": e.Type}, e.Primary))
		}
		d["addresses"] = l
	}
	if len(a.Photos) > 0 {
		var l []any
		for _, e := range a.Photos {
			l = append(l, obj(map[string]string{"value": e.Value, "type": e.Type}, e.Primary))
		}
		d["photos"] = l
	}
	if len(a.Roles) > 0 {
		var l []any
		for _, e := range a.Roles {
			l = append(l, obj(map[string]string{"value": e.Value, "type": e.Type}, e.Primary))
		}
		d["roles"] = l
	}
	if raw, ok := a.Extensions[enterpriseExtension]; ok {
		var e enterprise
		if json.Unmarshal(raw, &e) == nil && e != (enterprise{}) {
			em := map[string]any{}
			for k, v := range map[string]string{"employeeNumber": e.EmployeeNumber, "costCenter": e.CostCenter,
				"organization": e.Organization, "division": e.Division, "department": e.Department} {
				if v != "" {
					em[k] = v
				}
			}
			if e.Manager != nil {
				em["manager"] = obj(map[string]string{"value": e.Manager.Value, "$ref": e.Manager.Ref, "displayName": e.Manager.DisplayName}, nil)
			}
			d[enterpriseURN] = em
			d["schemas"] = []any{UserSchema, enterpriseURN}
		}
	}
	return d
}

func meta(resourceType string, created, updated time.Time) map[string]any {
	m := map[string]any{"resourceType": resourceType}
	if !created.IsZero() {
		m["created"] = created.UTC().Format(time.RFC3339Nano)
	}
	if !updated.IsZero() {
		m["lastModified"] = updated.UTC().Format(time.RFC3339Nano)
	}
	return m
}

// groupDoc is the SCIM representation of g; members nil omits the attribute.
func groupDoc(g store.Group, issuer string, members []string) map[string]any {
	d := map[string]any{
		"schemas":     []any{GroupSchema},
		"id":          g.GroupID,
		"displayName": g.DisplayName,
		"meta":        meta("Group", g.CreatedAt, g.UpdatedAt),
	}
	if ext := externalIDOf(g.ExternalIDs, issuer); ext != "" {
		d["externalId"] = ext
	}
	if members != nil {
		l := make([]any, 0, len(members))
		for _, m := range members {
			l = append(l, map[string]any{"value": m, "type": "User"})
		}
		d["members"] = l
	}
	return d
}

// groupFromDoc maps the group attributes of d onto cur; members are returned
// separately (nil when the document has no members attribute).
func groupFromDoc(d map[string]any, cur store.Group, issuer string) (store.Group, []string, bool, error) {
	g := cur
	r := newReader(d, "")
	var err error
	if g.DisplayName, err = r.str("displayName"); err != nil {
		return g, nil, false, err
	}
	ext, err := r.str("externalId")
	if err != nil {
		return g, nil, false, err
	}
	g.ExternalIDs = withExternalID(cur.ExternalIDs, issuer, ext)
	var members []string
	mv, hasMembers := r.take("members")
	if hasMembers {
		if members, err = memberIDs(mv); err != nil {
			return g, nil, false, err
		}
	}
	if err := r.rest(ignoredGroupAttrs); err != nil {
		return g, nil, false, err
	}
	return g, members, hasMembers, nil // the directory's rules: InsertGroup, ReplaceGroup
}

// memberIDs reads a members value: [{"value": id, "display"?, "$ref"?, "type"?}].
func memberIDs(v any) ([]string, error) {
	objs, err := asObjects("members", v)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(objs))
	for _, o := range objs {
		r := newReader(o, "members")
		id, err := r.str("value")
		if err != nil {
			return nil, err
		}
		if id == "" {
			return nil, invalid(ScimTypeInvalidValue, "Attribute members.value is required.")
		}
		r.take("display")
		r.take("$ref")
		r.take("type")
		if err := r.rest(nil); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}
