package credentials

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/idcenter/idcenter/internal/core/fault"
)

// Encoded authorization messages (DecodeAuthorizationMessage). AWS encodes
// the decision context of a denial only for some services (EC2's
// UnauthorizedOperation); none of the services idcenter serves does, so no
// denial carries one, but the encoding exists for callers that need it and
// DecodeAuthorizationMessage decodes what it made. A message is sealed with
// AES-256-GCM under a server key (confidential: it holds the caller's context).

// CodeInvalidAuthorizationMessage is STS's error for a message it cannot decode.
const CodeInvalidAuthorizationMessage = "InvalidAuthorizationMessageException"

// authzMessageAAD binds sealed messages to their purpose and format version.
const authzMessageAAD = "idcenter/sts/authorization-message/v1"

// AuthorizationMessage is the decision context AWS's decoded messages carry.
type AuthorizationMessage struct {
	Allowed           bool           `json:"allowed"`
	ExplicitDeny      bool           `json:"explicitDeny"`
	MatchedStatements itemList[any]  `json:"matchedStatements"`
	Failures          itemList[any]  `json:"failures"`
	Context           MessageContext `json:"context"`
}

// MessageContext is who asked for what.
type MessageContext struct {
	Principal  MessagePrincipal                `json:"principal"`
	Action     string                          `json:"action"`
	Resource   string                          `json:"resource"`
	Conditions itemList[MessageConditionEntry] `json:"conditions"`
}

// MessagePrincipal names the caller.
type MessagePrincipal struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	ARN  string `json:"arn"`
}

// MessageConditionEntry is one condition key and its values.
type MessageConditionEntry struct {
	Key    string                 `json:"key"`
	Values itemList[messageValue] `json:"values"`
}

type messageValue struct {
	Value string `json:"value"`
}

type itemList[T any] struct {
	Items []T `json:"items"`
}

// NewAuthorizationMessage builds a denial's message from its parts.
func NewAuthorizationMessage(principalID, principalName, principalARN, action, resource string, explicitDeny bool, conditions map[string][]string) AuthorizationMessage {
	m := AuthorizationMessage{ExplicitDeny: explicitDeny, MatchedStatements: itemList[any]{Items: []any{}}, Failures: itemList[any]{Items: []any{}},
		Context: MessageContext{Principal: MessagePrincipal{ID: principalID, Name: principalName, ARN: principalARN}, Action: action, Resource: resource}}
	keys := make([]string, 0, len(conditions))
	for k := range conditions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	m.Context.Conditions.Items = []MessageConditionEntry{}
	for _, k := range keys {
		e := MessageConditionEntry{Key: k}
		for _, v := range conditions[k] {
			e.Values.Items = append(e.Values.Items, messageValue{Value: v})
		}
		m.Context.Conditions.Items = append(m.Context.Conditions.Items, e)
	}
	return m
}

func (s *Service) messageAEAD(ctx context.Context) (cipher.AEAD, error) {
	k, err := s.serverKey(ctx, metaAuthzMessageKey, genAESKey)
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(k)
	if err != nil {
		return nil, fmt.Errorf("credentials: authorization message key: %w", err)
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// EncodeAuthorizationMessage seals m into the opaque string a denial would carry.
func (s *Service) EncodeAuthorizationMessage(ctx context.Context, m AuthorizationMessage) (string, error) {
	aead, err := s.messageAEAD(ctx)
	if err != nil {
		return "", err
	}
	plain, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := io.ReadFull(s.reader(), nonce); err != nil {
		return "", fmt.Errorf("credentials: randomness: %w", err)
	}
	sealed := aead.Seal(nonce, nonce, plain, []byte(authzMessageAAD))
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

func invalidMessage() error {
	return &fault.Error{Kind: fault.Validation, Reason: CodeInvalidAuthorizationMessage,
		Message: "The encoded authorization message is not valid."}
}

// DecodeAuthorizationMessage opens a message EncodeAuthorizationMessage made
// and returns its JSON; InvalidAuthorizationMessageException otherwise.
func (s *Service) DecodeAuthorizationMessage(ctx context.Context, encoded string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(encoded), "="))
	if err != nil {
		return "", invalidMessage()
	}
	aead, err := s.messageAEAD(ctx)
	if err != nil {
		return "", err
	}
	if len(raw) < aead.NonceSize()+aead.Overhead() {
		return "", invalidMessage()
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(authzMessageAAD))
	if err != nil {
		return "", invalidMessage()
	}
	return string(plain), nil
}
