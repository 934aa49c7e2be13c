package scimtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

const (
	userSchema   = "urn:ietf:params:scim:schemas:core:2.0:User"
	groupSchema  = "urn:ietf:params:scim:schemas:core:2.0:Group"
	patchSchema  = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	maxRetries   = 20
	defaultRetry = time.Second
)

// Client talks to one SCIM base URL (…/scim/v2/) with one bearer token.
type Client struct {
	Base  string // ends in /scim/v2/
	Token string
	HTTP  *http.Client // nil: a client without proxy or custom CA settings
	// Throttled counts the 429 answers that were retried.
	Throttled atomic.Int64

	once     sync.Once
	fallback *http.Client
}

// StatusError is a SCIM answer with an unexpected status.
type StatusError struct {
	Method, Path string
	Status       int
	Body         map[string]any
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("scim %s %s: status %d: %v", e.Method, e.Path, e.Status, e.Body)
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	c.once.Do(func() {
		c.fallback = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: time.Minute}
	})
	return c.fallback
}

// Do sends one request (body marshalled as JSON unless nil) and returns the
// status and decoded answer. A 429 is retried after its Retry-After.
func (c *Client) Do(ctx context.Context, method, path string, body any) (int, map[string]any, error) {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return 0, nil, err
		}
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, c.Base+path, bytes.NewReader(raw))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+c.Token)
		req.Header.Set("Content-Type", "application/scim+json")
		req.Header.Set("Accept", "application/scim+json")
		resp, err := c.http().Do(req)
		if err != nil {
			return 0, nil, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, nil, err
		}
		if resp.StatusCode == http.StatusTooManyRequests && attempt < maxRetries {
			c.Throttled.Add(1)
			wait := defaultRetry
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
				wait = time.Duration(s) * time.Second
			}
			select {
			case <-time.After(wait):
				continue
			case <-ctx.Done():
				return 0, nil, ctx.Err()
			}
		}
		var out map[string]any
		if len(b) > 0 {
			if err := json.Unmarshal(b, &out); err != nil {
				return resp.StatusCode, nil, fmt.Errorf("scim %s %s: answer is not JSON: %q", method, path, b)
			}
		}
		return resp.StatusCode, out, nil
	}
}

// expect is Do requiring one status.
func (c *Client) expect(ctx context.Context, want int, method, path string, body any) (map[string]any, error) {
	st, out, err := c.Do(ctx, method, path, body)
	if err != nil {
		return nil, err
	}
	if st != want {
		return nil, &StatusError{Method: method, Path: path, Status: st, Body: out}
	}
	return out, nil
}

func filterPath(kind, attr, value string) string {
	return kind + "?filter=" + url.QueryEscape(attr+` eq "`+value+`"`) + "&startIndex=1&count=100"
}

// User is what the sequences send about a person.
type User struct {
	UserName, GivenName, FamilyName, Email, ExternalID, Title string
}

func (u User) body(active bool) map[string]any {
	return map[string]any{
		"schemas":     []string{userSchema},
		"userName":    u.UserName,
		"externalId":  u.ExternalID,
		"name":        map[string]any{"givenName": u.GivenName, "familyName": u.FamilyName},
		"displayName": u.GivenName + " " + u.FamilyName,
		"title":       u.Title,
		"emails":      []any{map[string]any{"primary": true, "value": u.Email, "type": "work"}},
		"locale":      "en-US",
		"active":      active,
	}
}

// CreateUser does what Okta does to push a new user: look the user name up
// with a filter, then POST the user. It returns the new id.
func (c *Client) CreateUser(ctx context.Context, u User) (string, error) {
	found, err := c.expect(ctx, http.StatusOK, http.MethodGet, filterPath("Users", "userName", u.UserName), nil)
	if err != nil {
		return "", err
	}
	if n, _ := found["totalResults"].(float64); n != 0 {
		return "", fmt.Errorf("scim: user %s exists already", u.UserName)
	}
	out, err := c.expect(ctx, http.StatusCreated, http.MethodPost, "Users", u.body(true))
	if err != nil {
		return "", err
	}
	id, _ := out["id"].(string)
	return id, nil
}

// ReplaceUser does what Okta does on a profile change: PUT the whole user.
func (c *Client) ReplaceUser(ctx context.Context, id string, u User) error {
	body := u.body(true)
	body["id"] = id
	_, err := c.expect(ctx, http.StatusOK, http.MethodPut, "Users/"+id, body)
	return err
}

// DeactivateUser does what Okta does on unassignment: a path-less PATCH
// replacing active with false.
func (c *Client) DeactivateUser(ctx context.Context, id string) error {
	_, err := c.expect(ctx, http.StatusOK, http.MethodPatch, "Users/"+id, map[string]any{
		"schemas":    []string{patchSchema},
		"Operations": []any{map[string]any{"op": "replace", "value": map[string]any{"active": false}}},
	})
	return err
}

// DeleteUser deletes a user (Entra's and Google's way; 204).
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	_, err := c.expect(ctx, http.StatusNoContent, http.MethodDelete, "Users/"+id, nil)
	return err
}

// DeleteGroup deletes a group (204).
func (c *Client) DeleteGroup(ctx context.Context, id string) error {
	_, err := c.expect(ctx, http.StatusNoContent, http.MethodDelete, "Groups/"+id, nil)
	return err
}

// GetUser reads a user.
func (c *Client) GetUser(ctx context.Context, id string) (map[string]any, error) {
	return c.expect(ctx, http.StatusOK, http.MethodGet, "Users/"+id, nil)
}

// CreateGroup does what Okta does for a pushed group: look the name up, then
// POST it without members.
func (c *Client) CreateGroup(ctx context.Context, name string) (string, error) {
	found, err := c.expect(ctx, http.StatusOK, http.MethodGet, filterPath("Groups", "displayName", name), nil)
	if err != nil {
		return "", err
	}
	if n, _ := found["totalResults"].(float64); n != 0 {
		return "", fmt.Errorf("scim: group %s exists already", name)
	}
	out, err := c.expect(ctx, http.StatusCreated, http.MethodPost, "Groups", map[string]any{
		"schemas": []string{groupSchema}, "displayName": name, "members": []any{},
	})
	if err != nil {
		return "", err
	}
	id, _ := out["id"].(string)
	return id, nil
}

// AddMembers does what Okta does for group push: a PATCH adding members
// (Okta sends them in batches).
func (c *Client) AddMembers(ctx context.Context, groupID string, userIDs []string) error {
	vals := make([]any, len(userIDs))
	for i, id := range userIDs {
		vals[i] = map[string]any{"value": id}
	}
	path := "Groups/" + groupID
	st, out, err := c.Do(ctx, http.MethodPatch, path, map[string]any{
		"schemas":    []string{patchSchema},
		"Operations": []any{map[string]any{"op": "add", "path": "members", "value": vals}},
	})
	if err != nil {
		return err
	}
	if st != http.StatusOK && st != http.StatusNoContent {
		return &StatusError{Method: http.MethodPatch, Path: path, Status: st, Body: out}
	}
	return nil
}
