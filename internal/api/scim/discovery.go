package scim

import (
	"net/http"
	"strings"

	core "github.com/idcenter/idcenter/internal/core/scim"
)

func serviceProviderConfig(base string) map[string]any {
	no := map[string]any{"supported": false}
	return map[string]any{
		"schemas":          []string{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"},
		"documentationUri": "https://github.com/idcenter/idcenter",
		"patch":            map[string]any{"supported": true},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": core.MaxCount},
		"changePassword":   no,
		"sort":             no,
		"etag":             no,
		"authenticationSchemes": []any{map[string]any{
			"type": "oauthbearertoken", "name": "OAuth Bearer Token", "primary": true,
			"description": "Authentication with a bearer token made by `idcenter admin scim-token create`.",
		}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": base + "/ServiceProviderConfig"},
	}
}

func resourceType(base, name string) map[string]any {
	d := map[string]any{
		"schemas":  []string{"urn:ietf:params:scim:schemas:core:2.0:ResourceType"},
		"id":       name,
		"name":     name,
		"endpoint": "/" + name + "s",
		"meta":     map[string]any{"resourceType": "ResourceType", "location": base + "/ResourceTypes/" + name},
	}
	if name == "User" {
		d["schema"] = core.UserSchema
		d["schemaExtensions"] = []any{map[string]any{"schema": core.EnterpriseSchema, "required": false}}
	} else {
		d["schema"] = core.GroupSchema
	}
	return d
}

func listOf(items []any) map[string]any {
	return map[string]any{"schemas": []string{listSchema}, "totalResults": len(items), "startIndex": 1,
		"itemsPerPage": len(items), "Resources": items}
}

func resourceTypes(base string, rest []string) any {
	if len(rest) == 0 {
		return listOf([]any{resourceType(base, "User"), resourceType(base, "Group")})
	}
	if rest[0] == "User" || rest[0] == "Group" {
		return resourceType(base, rest[0])
	}
	return apiError{status: http.StatusNotFound, detail: "No resource type " + rest[0] + "."}
}

// attr describes a schema attribute: "name:type[:flags]" with flags m
// (multi-valued), r (required), o (readOnly), and sub-attributes.
type attr struct {
	spec string
	subs []attr
}

func (a attr) doc() map[string]any {
	parts := strings.Split(a.spec, ":")
	flags := ""
	if len(parts) > 2 {
		flags = parts[2]
	}
	mut := "readWrite"
	if strings.Contains(flags, "o") {
		mut = "readOnly"
	}
	d := map[string]any{"name": parts[0], "type": parts[1], "multiValued": strings.Contains(flags, "m"),
		"required": strings.Contains(flags, "r"), "caseExact": false, "mutability": mut, "returned": "default",
		"uniqueness": "none"}
	if parts[0] == "userName" || parts[0] == "displayName" && strings.Contains(flags, "r") {
		d["uniqueness"] = "server"
	}
	if len(a.subs) > 0 {
		var subs []any
		for _, s := range a.subs {
			subs = append(subs, s.doc())
		}
		d["subAttributes"] = subs
	}
	return d
}

var (
	multiSubs = []attr{{spec: "value:string"}, {spec: "type:string"}, {spec: "primary:boolean"}}
	userAttrs = []attr{{spec: "userName:string:r"}, {spec: "name:complex", subs: []attr{{spec: "formatted:string"},
		{spec: "familyName:string"}, {spec: "givenName:string"}, {spec: "middleName:string"},
		{spec: "honorificPrefix:string"}, {spec: "honorificSuffix:string"}}},
		{spec: "displayName:string"}, {spec: "nickName:string"}, {spec: "profileUrl:reference"}, {spec: "title:string"},
		{spec: "userType:string"}, {spec: "preferredLanguage:string"}, {spec: "locale:string"}, {spec: "timezone:string"},
		{spec: "active:boolean"}, {spec: "emails:complex:m", subs: multiSubs}, {spec: "phoneNumbers:complex:m", subs: multiSubs},
		{spec: "addresses:complex:m", subs: []attr{{spec: "formatted:string"}, {spec: "streetAddress:string"},
			{spec: "locality:string"}, {spec: "region:string"}, {spec: "postalCode:string"}, {spec: "country:string"},
			{spec: "type:string"}, {spec: "primary:boolean"}}},
		{spec: "photos:complex:m", subs: multiSubs}, {spec: "roles:complex:m", subs: multiSubs},
		{spec: "groups:complex:mo", subs: []attr{{spec: "value:string:o"}, {spec: "display:string:o"}}}}
	groupAttrs = []attr{{spec: "displayName:string:r"}, {spec: "members:complex:m", subs: []attr{{spec: "value:string"},
		{spec: "display:string"}, {spec: "type:string"}}}}
	enterpriseAttrs = []attr{{spec: "employeeNumber:string"}, {spec: "costCenter:string"}, {spec: "organization:string"},
		{spec: "division:string"}, {spec: "department:string"}, {spec: "manager:complex", subs: []attr{
			{spec: "value:string"}, {spec: "$ref:reference"}, {spec: "displayName:string:o"}}}}
)

func schemaDoc(base, id, name string, attrs []attr) map[string]any {
	var as []any
	for _, a := range attrs {
		as = append(as, a.doc())
	}
	return map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Schema"}, "id": id, "name": name,
		"attributes": as, "meta": map[string]any{"resourceType": "Schema", "location": base + "/Schemas/" + id}}
}

func schemas(base string, rest []string) any {
	all := []map[string]any{schemaDoc(base, core.UserSchema, "User", userAttrs),
		schemaDoc(base, core.GroupSchema, "Group", groupAttrs),
		schemaDoc(base, core.EnterpriseSchema, "EnterpriseUser", enterpriseAttrs)}
	if len(rest) == 0 {
		items := make([]any, len(all))
		for i, s := range all {
			items[i] = s
		}
		return listOf(items)
	}
	for _, s := range all {
		if strings.EqualFold(s["id"].(string), rest[0]) {
			return s
		}
	}
	return apiError{status: http.StatusNotFound, detail: "No schema " + rest[0] + "."}
}
