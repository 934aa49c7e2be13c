package credentials

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

func TestAuthorizationMessageRoundTrip(t *testing.T) {
	s, _ := setup(t)
	ctx := context.Background()
	m := NewAuthorizationMessage("AIDAEXAMPLE", "alice", "arn:aws:iam::"+acct+":user/alice", "ec2:RunInstances", "*", true,
		map[string][]string{"aws:username": {"alice"}, "aws:sourceip": {"10.0.0.1"}})
	enc, err := s.EncodeAuthorizationMessage(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(enc, "alice") {
		t.Fatalf("the message is not opaque: %s", enc)
	}
	dec, err := s.DecodeAuthorizationMessage(ctx, enc)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	var got AuthorizationMessage
	if err := json.Unmarshal([]byte(dec), &got); err != nil || got.Allowed || !got.ExplicitDeny || got.Context.Action != "ec2:RunInstances" ||
		got.Context.Principal.Name != "alice" || len(got.Context.Conditions.Items) != 2 || got.Context.Conditions.Items[0].Key != "aws:sourceip" {
		t.Fatalf("decoded %s (%v)", dec, err)
	}
	// A second service on the same store (another replica) shares the key.
	other := &Service{Store: s.Store}
	if _, err := other.DecodeAuthorizationMessage(ctx, enc); err != nil {
		t.Fatalf("decode on another replica: %v", err)
	}
	flipped := []byte(enc)
	flipped[len(flipped)/2] ^= 1
	for name, bad := range map[string]string{"tampered": string(flipped), "not base64": "%%%", "empty": "", "short": "abcd"} {
		_, err := s.DecodeAuthorizationMessage(ctx, bad)
		if fe := fault.As(err); fe == nil || fe.Reason != CodeInvalidAuthorizationMessage {
			t.Errorf("%s: %v, want %s", name, err, CodeInvalidAuthorizationMessage)
		}
	}
}

type outboundOn struct{ issuer string }

func (o outboundOn) GetOutboundWebIdentityFederationInfo(context.Context, iam.Caller) (iam.OutboundFederation, error) {
	return iam.OutboundFederation{IssuerIdentifier: o.issuer, Enabled: o.issuer != ""}, nil
}

func TestWebIdentityTokenSignedAndVerifiable(t *testing.T) {
	s, now := setup(t)
	ctx := context.Background()
	_, err := s.GetWebIdentityToken(ctx, root, []string{"https://api.example.com"}, 0, "RS256", nil)
	if fe := fault.As(err); fe == nil || fe.Reason != CodeOutboundDisabled {
		t.Fatalf("without outbound federation: %v", err)
	}
	s.Outbound = outboundOn{issuer: "https://abc.tokens.sts.global.api.aws"}
	keys, err := s.WebIdentityKeys(ctx)
	if err != nil || len(keys.Keys) != 2 {
		t.Fatalf("WebIdentityKeys = %+v, %v", keys, err)
	}
	for _, alg := range []string{"RS256", "ES384"} {
		tok, err := s.GetWebIdentityToken(ctx, root, []string{"https://api.example.com"}, 600, alg,
			[]store.Tag{{Key: "team", Value: "blue"}})
		if err != nil {
			t.Fatalf("%s: %v", alg, err)
		}
		if !tok.Expiration.Equal(now.Add(600 * time.Second)) {
			t.Fatalf("%s: expiration %v", alg, tok.Expiration)
		}
		parsed, err := jwt.ParseSigned(tok.Token, jwtAlgorithms)
		if err != nil {
			t.Fatal(err)
		}
		var c jwt.Claims
		var raw map[string]any
		if err := parsed.Claims(keys, &c, &raw); err != nil {
			t.Fatalf("%s: signature: %v", alg, err)
		}
		tags, _ := raw[stsClaims].(map[string]any)["request_tags"].(map[string]any)
		if c.Issuer != "https://abc.tokens.sts.global.api.aws" || c.Subject != root.ARN || len(c.Audience) != 1 ||
			c.Expiry.Time().Sub(c.IssuedAt.Time()) != 600*time.Second || tags["team"] != "blue" {
			t.Fatalf("%s: claims %+v %v", alg, c, raw)
		}
	}
	if _, err := s.GetWebIdentityToken(ctx, root, []string{"a"}, 0, "HS256", nil); fault.As(err) == nil {
		t.Fatal("HS256 accepted")
	}
	many := make([]store.Tag, 0, 50)
	for i := range 50 {
		many = append(many, store.Tag{Key: strings.Repeat("k", 100) + string(rune('A'+i%26)) + string(rune('a'+i/26)), Value: strings.Repeat("v", 256)})
	}
	_, err = s.GetWebIdentityToken(ctx, root, []string{"a"}, 0, "RS256", many)
	if fe := fault.As(err); fe == nil || fe.Reason != CodeJWTPayloadSizeExceeded {
		t.Fatalf("oversized tags: %v", err)
	}
}
