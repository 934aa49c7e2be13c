package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"

	corescim "github.com/idcenter/idcenter/internal/core/scim"
)

type scimClient struct {
	t     *testing.T
	base  string
	token string
}

func newSCIM(t *testing.T, ts *testServer) *scimClient {
	t.Helper()
	storeID := ts.World.Instance.IdentityStoreID
	_, tok, err := (&corescim.Service{Store: ts.Store}).CreateToken(context.Background(), storeID, 0)
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	return &scimClient{t: t, base: ts.URL + "/" + storeID + "/scim/v2/", token: tok}
}

func (c *scimClient) do(method, path, body string) (int, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			c.t.Fatalf("%s %s: response is not JSON: %s", method, path, raw)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/scim+json") {
			c.t.Errorf("%s %s: Content-Type %q", method, path, ct)
		}
	}
	return resp.StatusCode, out
}

// replay sends the fixtures of testdata/<idp> in order, substituting {user}
// and {group} with the ids the server returned.
func (c *scimClient) replay(idp string) map[string]string {
	c.t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "api", "scim", "testdata", idp, "*.json"))
	sort.Strings(files)
	if len(files) == 0 {
		c.t.Fatalf("no fixtures for %s", idp)
	}
	ids := map[string]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			c.t.Fatal(err)
		}
		var fx struct {
			Method string
			Path   string
			Status int
			Body   json.RawMessage
		}
		if err := json.Unmarshal(raw, &fx); err != nil {
			c.t.Fatalf("%s: %v", f, err)
		}
		sub := func(s string) string {
			for k, v := range ids {
				s = strings.ReplaceAll(s, "{"+k+"}", v)
			}
			return s
		}
		body := ""
		if len(fx.Body) > 0 {
			body = sub(string(fx.Body))
		}
		status, out := c.do(fx.Method, sub(fx.Path), body)
		if status != fx.Status {
			c.t.Fatalf("%s: status %d, want %d: %v", filepath.Base(f), status, fx.Status, out)
		}
		if fx.Method == http.MethodPost {
			kind := "user"
			if strings.HasPrefix(fx.Path, "Groups") {
				kind = "group"
			}
			ids[kind], _ = out["id"].(string)
		}
	}
	return ids
}

func TestSCIMOktaReplay(t *testing.T) {
	ts := startServer(t)
	sc := newSCIM(t, ts)
	ids := sc.replay("okta")
	ctx := context.Background()
	is := newIdentityClient(t, ts)
	storeID := aws.String(ts.World.Instance.IdentityStoreID)
	u, err := is.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: storeID, UserId: aws.String(ids["user"])})
	if err != nil {
		t.Fatalf("DescribeUser: %v", err)
	}
	if aws.ToString(u.UserName) != "test.user@okta.local" || aws.ToString(u.DisplayName) != "Test User" ||
		len(u.ExternalIds) != 1 || aws.ToString(u.ExternalIds[0].Id) != "00ujl29u0le5T6Aj10h7" || aws.ToString(u.ExternalIds[0].Issuer) != "SCIM" {
		t.Errorf("user over identitystore: %+v", u)
	}
	if _, got := sc.do("GET", "Users/"+ids["user"], ""); got["active"] != false {
		t.Errorf("active after Okta deactivation = %v", got["active"])
	}
	g, err := is.DescribeGroup(ctx, &identitystore.DescribeGroupInput{IdentityStoreId: storeID, GroupId: aws.String(ids["group"])})
	if err != nil || aws.ToString(g.DisplayName) != "Renamed SCIMv2" {
		t.Fatalf("DescribeGroup = %+v, %v", g, err)
	}
	ms, err := is.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{IdentityStoreId: storeID, GroupId: aws.String(ids["group"])})
	if err != nil || len(ms.GroupMemberships) != 0 {
		t.Fatalf("memberships after removal = %+v, %v", ms, err)
	}
}

func TestSCIMEntraReplay(t *testing.T) {
	ts := startServer(t)
	sc := newSCIM(t, ts)
	ids := sc.replay("entra")
	ctx := context.Background()
	is := newIdentityClient(t, ts)
	storeID := aws.String(ts.World.Instance.IdentityStoreID)
	u, err := is.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: storeID, UserId: aws.String(ids["user"])})
	if err != nil {
		t.Fatalf("DescribeUser: %v", err)
	}
	if len(u.Emails) != 1 || aws.ToString(u.Emails[0].Value) != "updatedEmail@microsoft.com" ||
		u.Name == nil || aws.ToString(u.Name.FamilyName) != "updatedFamilyName" {
		t.Errorf("user after Entra PATCH: emails %+v name %+v", u.Emails, u.Name)
	}
	_, got := sc.do("GET", "Users/"+ids["user"], "")
	ent, _ := got["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].(map[string]any)
	if got["active"] != false || ent["department"] != "Engineering" || ent["employeeNumber"] != "E1" {
		t.Errorf("SCIM user after Entra PATCH: %v", got)
	}
	ms, err := is.ListGroupMemberships(ctx, &identitystore.ListGroupMembershipsInput{IdentityStoreId: storeID, GroupId: aws.String(ids["group"])})
	if err != nil || len(ms.GroupMemberships) != 1 {
		t.Fatalf("memberships = %+v, %v", ms, err)
	}
	// And the reverse: a user made with the identitystore API is seen over SCIM.
	if _, err := is.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: storeID, UserName: aws.String("native"),
		DisplayName: aws.String("Native"), Name: &types.Name{GivenName: aws.String("N"), FamilyName: aws.String("V")}}); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if st, got := sc.do("GET", "Users?filter=userName%20eq%20%22NATIVE%22", ""); st != 200 || got["totalResults"] != float64(1) {
		t.Errorf("native user over SCIM: %d %v", st, got)
	}
}

func TestSCIMBadInput(t *testing.T) {
	ts := startServer(t)
	sc := newSCIM(t, ts)
	ctx := context.Background()
	storeID := ts.World.Instance.IdentityStoreID
	countUsers := func() int {
		out, err := newIdentityClient(t, ts).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)})
		if err != nil {
			t.Fatalf("ListUsers: %v", err)
		}
		return len(out.Users)
	}
	before := countUsers()
	okUser := `{"userName":"a","name":{"givenName":"A","familyName":"B"}}`
	st, u := sc.do("POST", "Users", okUser)
	if st != 201 {
		t.Fatalf("create: %d %v", st, u)
	}
	uid := u["id"].(string)
	big := `{"userName":"big","displayName":"` + strings.Repeat("x", 2<<20) + `"}`
	cases := []struct {
		name, method, path, body string
		status                   int
		scimType                 string
	}{
		{"malformed JSON", "POST", "Users", `{"userName":`, 400, "invalidSyntax"},
		{"not an object", "POST", "Users", `[1]`, 400, "invalidSyntax"},
		{"unknown attribute", "POST", "Users", `{"userName":"b","shoeSize":44}`, 400, "invalidSyntax"},
		{"wrong type", "POST", "Users", `{"userName":7}`, 400, "invalidValue"},
		{"duplicate userName", "POST", "Users", `{"userName":"A"}`, 409, "uniqueness"},
		{"filter syntax", "GET", "Users?filter=userName%20eq", "", 400, "invalidFilter"},
		{"filter operator", "GET", "Users?filter=userName%20co%20%22a%22", "", 400, "invalidFilter"},
		{"filter or", "GET", "Users?filter=userName%20eq%20%22a%22%20or%20userName%20eq%20%22b%22", "", 400, "invalidFilter"},
		{"patch half bad", "PATCH", "Users/" + uid, `{"Operations":[{"op":"replace","path":"displayName","value":"New"},{"op":"replace","path":"shoeSize","value":1}]}`, 400, "invalidSyntax"},
		{"patch bad op", "PATCH", "Users/" + uid, `{"Operations":[{"op":"move","path":"displayName","value":"x"}]}`, 400, "invalidSyntax"},
		{"patch bad path", "PATCH", "Users/" + uid, `{"Operations":[{"op":"replace","path":"emails[type eq","value":"x"}]}`, 400, "invalidPath"},
		{"patch remove without path", "PATCH", "Users/" + uid, `{"Operations":[{"op":"remove"}]}`, 400, "noTarget"},
		{"group with unknown member", "POST", "Groups", `{"displayName":"g","members":[{"value":"nope"}]}`, 400, "invalidValue"},
		{"missing user", "GET", "Users/nope", "", 404, ""},
		{"oversize body", "POST", "Users", big, 413, "tooMany"},
		{"unknown endpoint", "GET", "Bulk", "", 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, out := sc.do(c.method, c.path, c.body)
			if st != c.status {
				t.Fatalf("status %d, want %d: %v", st, c.status, out)
			}
			schemas, _ := out["schemas"].([]any)
			if len(schemas) != 1 || schemas[0] != "urn:ietf:params:scim:api:messages:2.0:Error" || out["status"] != strconv.Itoa(c.status) {
				t.Errorf("error body %v", out)
			}
			if c.scimType != "" && out["scimType"] != c.scimType {
				t.Errorf("scimType %v, want %s (%v)", out["scimType"], c.scimType, out["detail"])
			}
		})
	}
	if n := countUsers(); n != before+1 {
		t.Errorf("users = %d, want %d: something was half-written", n, before+1)
	}
	if _, got := sc.do("GET", "Users/"+uid, ""); got["displayName"] != "A B" {
		t.Errorf("displayName after failed PATCH = %v", got["displayName"])
	}
	if _, got := sc.do("GET", "Groups?filter=displayName%20eq%20%22g%22", ""); got["totalResults"] != float64(0) {
		t.Errorf("group half-created: %v", got)
	}

	// Tokens: none, wrong tenant, deleted, expired → 401.
	svc := &corescim.Service{Store: ts.Store}
	past := &corescim.Service{Store: ts.Store, Now: func() time.Time { return time.Now().AddDate(-2, 0, 0) }}
	expTok, err := func() (string, error) { _, s, err := past.CreateToken(ctx, storeID, 0); return s, err }()
	if err != nil {
		t.Fatal(err)
	}
	toks, err := svc.ListTokens(ctx, storeID)
	if err != nil || len(toks) != 2 {
		t.Fatalf("ListTokens = %v, %v", toks, err)
	}
	if err := svc.DeleteToken(ctx, storeID, toks[1].ID); err != nil { // the newest: sc's token
		t.Fatal(err)
	}
	_, valid, err := svc.CreateToken(ctx, storeID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := (&scimClient{t: t, base: sc.base, token: valid}).do("GET", "Users", ""); st != 200 {
		t.Fatalf("valid token: %d", st)
	}
	for name, cl := range map[string]*scimClient{
		"deleted":      sc,
		"expired":      {t: t, base: sc.base, token: expTok},
		"garbage":      {t: t, base: sc.base, token: "x"},
		"wrong tenant": {t: t, base: ts.URL + "/d-0000000000/scim/v2/", token: valid},
	} {
		if st, out := cl.do("GET", "Users", ""); st != 401 || out["status"] != "401" {
			t.Errorf("%s token: %d %v", name, st, out)
		}
	}
}
