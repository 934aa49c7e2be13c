package awsproto

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
)

// Error is a protocol error. Code is the wire error code ("ResourceNotFoundException", "NoSuchEntity", …; for
// query services a modelled shape name such as "NoSuchEntityException" is translated to its code). Status 0
// means the model's status for that error (else 400, or 500 for faults). Fields are extra modelled members
// for JSON bodies (ResourceType, ResourceId, Reason, error, error_description, …). Type is "Sender" or
// "Receiver" for the query protocol (default by status).
type Error struct {
	Code    string
	Message string
	Status  int
	Fields  map[string]any
	Type    string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

type ctxKey int

const (
	requestIDKey ctxKey = iota
	operationKey
)

// WithRequestID returns a context carrying the request id used in responses.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id of ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// OperationName returns the name of the operation being served, or "" outside Serve.
func OperationName(ctx context.Context) string {
	n, _ := ctx.Value(operationKey).(string)
	return n
}

// NewRequestID returns a random UUID-formatted request id.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func ensureRequestID(r *http.Request) (*http.Request, string) {
	if id := RequestID(r.Context()); id != "" {
		return r, id
	}
	id := NewRequestID()
	return r.WithContext(WithRequestID(r.Context(), id)), id
}

// WriteError encodes any error in this service's protocol. A non-*Error becomes the protocol's generic
// internal failure (the cause is logged, never sent).
func (s *Service) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	r, id := ensureRequestID(r)
	s.writeError(w, r, id, err)
}

func (s *Service) internalError() *Error {
	code := "InternalFailure"
	switch {
	case s.hasError("InternalServerException"):
		code = "InternalServerException"
	case s.hasError("ServiceFailure"):
		code = "ServiceFailure"
	}
	return &Error{Code: code, Status: http.StatusInternalServerError, Message: "An internal error occurred. Please try again.", Type: "Receiver"}
}

func (s *Service) hasError(code string) bool {
	if s.Model == nil {
		return false
	}
	_, ok := s.Model.ErrorShape(code)
	return ok
}

func (s *Service) writeError(w http.ResponseWriter, r *http.Request, id string, err error) {
	var e *Error
	if !errors.As(err, &e) || e == nil {
		slog.ErrorContext(r.Context(), "internal error", "operation", OperationName(r.Context()), "request_id", id, "err", err)
		e = s.internalError()
	}
	var sh *Shape
	code := e.Code
	if s.Model != nil {
		if x, ok := s.Model.ErrorShape(code); ok {
			sh = x
			if s.Model.Protocol == ProtocolQuery && x.ErrorCode != "" {
				code = x.ErrorCode
			}
		}
	}
	status := e.Status
	if status == 0 {
		switch {
		case sh != nil && sh.HTTPStatus != 0:
			status = sh.HTTPStatus
		case sh != nil && sh.Fault:
			status = http.StatusInternalServerError
		default:
			status = http.StatusBadRequest
		}
	}
	h := w.Header()
	h.Set("x-amzn-RequestId", id)
	if s.Model != nil && s.Model.Protocol == ProtocolQuery {
		typ := e.Type
		if typ == "" {
			typ = "Sender"
			if status >= 500 {
				typ = "Receiver"
			}
		}
		var b strings.Builder
		b.WriteString(`<ErrorResponse xmlns="`)
		xmlEscape(&b, s.Model.XMLNamespace)
		b.WriteString(`"><Error><Type>`)
		xmlEscape(&b, typ)
		b.WriteString(`</Type><Code>`)
		xmlEscape(&b, code)
		b.WriteString(`</Code><Message>`)
		xmlEscape(&b, e.Message)
		b.WriteString(`</Message></Error><RequestId>`)
		xmlEscape(&b, id)
		b.WriteString(`</RequestId></ErrorResponse>`)
		h.Set("Content-Type", "text/xml")
		h.Set("Content-Length", strconv.Itoa(b.Len()))
		w.WriteHeader(status)
		_, _ = w.Write([]byte(b.String()))
		return
	}
	body := make(map[string]any, len(e.Fields)+3)
	for k, v := range e.Fields {
		body[k] = v
	}
	body["__type"] = code
	msgKey := "message"
	if sh != nil {
		for _, m := range sh.Members {
			if m.WireName == "Message" {
				msgKey = "Message"
			}
			if m.WireName == "RequestId" {
				if _, set := body["RequestId"]; !set {
					body["RequestId"] = id
				}
			}
		}
	}
	if e.Message != "" {
		body[msgKey] = e.Message
	}
	buf, merr := json.Marshal(body)
	if merr != nil {
		slog.ErrorContext(r.Context(), "encode error body", "err", merr)
		buf = []byte(`{"__type":"` + code + `"}`)
	}
	h.Set("X-Amzn-ErrorType", code)
	if s.Model != nil && s.Model.Protocol == ProtocolJSON {
		h.Set("Content-Type", "application/x-amz-json-1.1")
	} else {
		h.Set("Content-Type", "application/json")
	}
	h.Set("Content-Length", strconv.Itoa(len(buf)))
	w.WriteHeader(status)
	_, _ = w.Write(buf)
}
