package scim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
	core "github.com/idcenter/idcenter/internal/core/scim"
)

// DefaultMaxBody bounds request bodies (a group with thousands of members fits).
const DefaultMaxBody = 1 << 20

// ContentType is the SCIM media type.
const ContentType = "application/scim+json"

const (
	errorSchema = "urn:ietf:params:scim:api:messages:2.0:Error"
	listSchema  = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
)

// Handler serves SCIM.
type Handler struct {
	Core *core.Service
	Log  *slog.Logger
	// MaxBody bounds request bodies; DefaultMaxBody when 0.
	MaxBody int64
	// Limiter throttles each token (429 with Retry-After, as AWS's
	// ThrottlingException); nil allows everything.
	Limiter *TokenLimiter
	// PublicURL (scheme://host[:port][/path], idcenter's --public-url) is the
	// base of the resources' meta.location; "" takes the request's host.
	PublicURL string
}

// IsPath reports whether a request path is a SCIM one: /scim/v2[/…] or
// /<tenant>/scim/v2[/…].
func IsPath(p string) bool {
	_, _, ok := split(p)
	return ok
}

// split returns the tenant ("" for /scim/v2), and the path after /scim/v2.
func split(p string) (tenant, rest string, ok bool) {
	const marker = "/scim/v2"
	if r, found := strings.CutPrefix(p, marker); found && (r == "" || r[0] == '/') {
		return "", r, true
	}
	if len(p) < 2 || p[0] != '/' {
		return "", "", false
	}
	slash := strings.IndexByte(p[1:], '/')
	if slash < 0 {
		return "", "", false
	}
	tenant = p[1 : slash+1]
	if r, found := strings.CutPrefix(p[slash+1:], marker); found && (r == "" || r[0] == '/') && tenant != "" {
		return tenant, r, true
	}
	return "", "", false
}

type apiError struct {
	status   int
	scimType string
	detail   string
}

func (h *Handler) maxBody() int64 {
	if h.MaxBody > 0 {
		return h.MaxBody
	}
	return DefaultMaxBody
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tenant, rest, ok := split(r.URL.Path)
	if !ok {
		writeError(w, apiError{status: http.StatusNotFound, detail: "Not a SCIM endpoint."})
		return
	}
	auth := r.Header.Get("Authorization")
	scheme, secret, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="idcenter-scim"`)
		writeError(w, apiError{status: http.StatusUnauthorized, detail: "A valid bearer token is required."})
		return
	}
	tok, err := h.Core.AuthenticateToken(r.Context(), strings.TrimSpace(secret))
	storeID := tok.IdentityStoreID
	if err != nil || tenant != "" && tenant != storeID {
		if err != nil && !errors.Is(err, core.ErrUnauthorized) {
			h.internal(w, r, err)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="idcenter-scim", error="invalid_token"`)
		writeError(w, apiError{status: http.StatusUnauthorized, detail: "The bearer token is invalid, expired or revoked."})
		return
	}
	if ok, wait := h.Limiter.Allow(tok.ID); !ok {
		w.Header().Set("Retry-After", retryAfter(wait))
		writeError(w, apiError{status: http.StatusTooManyRequests, detail: "Too many requests with this access token; retry after the time in Retry-After."})
		return
	}
	base := h.baseURL(r, tenant)
	segs := strings.Split(strings.Trim(rest, "/"), "/")
	switch {
	case len(segs) == 1 && segs[0] == "ServiceProviderConfig":
		h.static(w, r, serviceProviderConfig(base))
	case segs[0] == "ResourceTypes" && len(segs) <= 2:
		h.static(w, r, resourceTypes(base, segs[1:]))
	case segs[0] == "Schemas" && len(segs) <= 2:
		h.static(w, r, schemas(base, segs[1:]))
	case segs[0] == "Users" && len(segs) <= 2:
		h.resource(w, r, storeID, base+"/Users/", segs[1:], usersOps(h.Core))
	case segs[0] == "Groups" && len(segs) <= 2:
		h.resource(w, r, storeID, base+"/Groups/", segs[1:], groupsOps(h.Core))
	default:
		writeError(w, apiError{status: http.StatusNotFound, detail: "No SCIM endpoint " + rest + "."})
	}
}

func (h *Handler) baseURL(r *http.Request, tenant string) string {
	prefix := "/scim/v2"
	if tenant != "" {
		prefix = "/" + tenant + prefix
	}
	if h.PublicURL != "" {
		return strings.TrimRight(h.PublicURL, "/") + prefix
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + prefix
}

// static answers GET with a fixed document (or a 404 apiError).
func (h *Handler) static(w http.ResponseWriter, r *http.Request, doc any) {
	if r.Method != http.MethodGet {
		writeError(w, apiError{status: http.StatusMethodNotAllowed, detail: "Only GET is supported here."})
		return
	}
	if e, isErr := doc.(apiError); isErr {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, doc)
}

// ops are the core calls of one resource type.
type ops struct {
	create  func(ctx context.Context, storeID string, d map[string]any) (map[string]any, error)
	get     func(ctx context.Context, storeID, id string) (map[string]any, error)
	replace func(ctx context.Context, storeID, id string, d map[string]any) (map[string]any, error)
	patch   func(ctx context.Context, storeID, id string, o []core.Operation) (map[string]any, error)
	del     func(ctx context.Context, storeID, id string) error
	list    func(ctx context.Context, storeID string, q core.ListQuery) (core.ListResult, error)
}

func usersOps(c *core.Service) ops {
	return ops{c.CreateUser, c.GetUser, c.ReplaceUser, c.PatchUser, c.DeleteUser, c.ListUsers}
}

func groupsOps(c *core.Service) ops {
	return ops{c.CreateGroup, c.GetGroup, c.ReplaceGroup, c.PatchGroup, c.DeleteGroup, c.ListGroups}
}

func (h *Handler) resource(w http.ResponseWriter, r *http.Request, storeID, loc string, id []string, o ops) {
	ctx := r.Context()
	var out map[string]any
	var err error
	status := http.StatusOK
	switch {
	case len(id) == 0 && r.Method == http.MethodGet:
		q, qerr := listQuery(r)
		if qerr != nil {
			writeError(w, *qerr)
			return
		}
		res, err := o.list(ctx, storeID, q)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, d := range res.Resources {
			setLocation(d, loc)
		}
		writeJSON(w, http.StatusOK, map[string]any{"schemas": []string{listSchema}, "totalResults": res.TotalResults,
			"startIndex": res.StartIndex, "itemsPerPage": len(res.Resources), "Resources": res.Resources})
		return
	case len(id) == 0 && r.Method == http.MethodPost:
		d, berr := h.body(w, r)
		if berr != nil {
			writeError(w, *berr)
			return
		}
		out, err = o.create(ctx, storeID, d)
		status = http.StatusCreated
	case len(id) == 1 && id[0] != "" && r.Method == http.MethodGet:
		out, err = o.get(ctx, storeID, id[0])
	case len(id) == 1 && id[0] != "" && r.Method == http.MethodPut:
		d, berr := h.body(w, r)
		if berr != nil {
			writeError(w, *berr)
			return
		}
		out, err = o.replace(ctx, storeID, id[0], d)
	case len(id) == 1 && id[0] != "" && r.Method == http.MethodPatch:
		d, berr := h.body(w, r)
		if berr != nil {
			writeError(w, *berr)
			return
		}
		operations, perr := core.ParsePatch(d)
		if perr != nil {
			h.fail(w, r, perr)
			return
		}
		out, err = o.patch(ctx, storeID, id[0], operations)
	case len(id) == 1 && id[0] != "" && r.Method == http.MethodDelete:
		if err := o.del(ctx, storeID, id[0]); err != nil {
			h.fail(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		writeError(w, apiError{status: http.StatusMethodNotAllowed, detail: r.Method + " is not supported here."})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	setLocation(out, loc)
	if status == http.StatusCreated {
		if m, ok := out["meta"].(map[string]any); ok {
			if l, ok := m["location"].(string); ok {
				w.Header().Set("Location", l)
			}
		}
	}
	writeJSON(w, status, out)
}

func setLocation(d map[string]any, loc string) {
	if m, ok := d["meta"].(map[string]any); ok {
		if id, ok := d["id"].(string); ok {
			m["location"] = loc + id
		}
	}
}

func listQuery(r *http.Request) (core.ListQuery, *apiError) {
	v := r.URL.Query()
	q := core.ListQuery{Filter: v.Get("filter"), StartIndex: 1, Count: -1}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"startIndex", &q.StartIndex}, {"count", &q.Count}} {
		if s := v.Get(p.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 && p.name == "count" {
				return q, &apiError{status: http.StatusBadRequest, scimType: core.ScimTypeInvalidValue,
					detail: p.name + " must be a non-negative integer."}
			}
			*p.dst = n
		}
	}
	return q, nil
}

// body reads and decodes a JSON object body, bounded by MaxBody.
func (h *Handler) body(w http.ResponseWriter, r *http.Request) (map[string]any, *apiError) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody()))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &apiError{status: http.StatusRequestEntityTooLarge, scimType: core.ScimTypeTooMany,
				detail: "Request body exceeds " + strconv.FormatInt(h.maxBody(), 10) + " bytes."}
		}
		return nil, &apiError{status: http.StatusBadRequest, scimType: core.ScimTypeInvalidSyntax, detail: "Could not read the request body."}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	var d map[string]any
	if err := dec.Decode(&d); err != nil || d == nil {
		return nil, &apiError{status: http.StatusBadRequest, scimType: core.ScimTypeInvalidSyntax,
			detail: "Request is unparsable, syntactically incorrect, or violates schema: a JSON object is required."}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &apiError{status: http.StatusBadRequest, scimType: core.ScimTypeInvalidSyntax, detail: "Trailing data after the JSON object."}
	}
	return d, nil
}

// fail maps a core error onto a SCIM error response.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	f := fault.As(err)
	if f == nil {
		h.internal(w, r, err)
		return
	}
	e := apiError{detail: f.Message}
	switch f.Kind {
	case fault.NotFound:
		e.status = http.StatusNotFound
	case fault.Conflict:
		e.status = http.StatusConflict
		if f.Reason == core.ScimTypeUniqueness {
			e.scimType = core.ScimTypeUniqueness
		}
	case fault.Validation:
		e.status, e.scimType = http.StatusBadRequest, f.Reason
		if e.scimType == "" {
			e.scimType = core.ScimTypeInvalidValue
		}
	case fault.QuotaExceeded:
		e.status, e.scimType = http.StatusBadRequest, core.ScimTypeTooMany
	case fault.AccessDenied:
		e.status = http.StatusForbidden
	default:
		h.internal(w, r, err)
		return
	}
	writeError(w, e)
}

func (h *Handler) internal(w http.ResponseWriter, r *http.Request, err error) {
	if h.Log != nil {
		h.Log.Error("scim request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeError(w, apiError{status: http.StatusInternalServerError, detail: "Internal error; retry the request."})
}

func writeError(w http.ResponseWriter, e apiError) {
	body := map[string]any{"schemas": []string{errorSchema}, "status": strconv.Itoa(e.status), "detail": e.detail}
	if e.scimType != "" {
		body["scimType"] = e.scimType
	}
	writeJSON(w, e.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"schemas":["`+errorSchema+`"],"status":"500","detail":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", ContentType+"; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
