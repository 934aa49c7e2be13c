package e2e

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// presigner sets X-Amz-Expires and, when at is set, signs as of that time.
type presigner struct {
	expires time.Duration
	at      time.Time
}

func (p presigner) PresignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request,
	payloadHash, service, region string, signingTime time.Time, optFns ...func(*v4.SignerOptions),
) (string, http.Header, error) {
	q := r.URL.Query()
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(p.expires/time.Second), 10))
	r.URL.RawQuery = q.Encode()
	if !p.at.IsZero() {
		signingTime = p.at
	}
	return v4.NewSigner().PresignHTTP(ctx, creds, r, payloadHash, service, region, signingTime, optFns...)
}

// presignGetCallerIdentity makes a presigned GET URL the way EKS tokens are made.
func presignGetCallerIdentity(t *testing.T, endpoint, secret string, p presigner) string {
	t.Helper()
	client := sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(rootKeyID, secret, ""),
	})
	req, err := sts.NewPresignClient(client, func(o *sts.PresignOptions) { o.Presigner = p }).
		PresignGetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != http.MethodGet {
		t.Fatalf("presigned method %s, want GET", req.Method)
	}
	return req.URL
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestPresignedGetCallerIdentity checks the presigned-query form of SigV4 with an unsigned,
// plain HTTP GET, as bench/load.sh and EKS-style tokens use it.
func TestPresignedGetCallerIdentity(t *testing.T) {
	s := startServer(t)

	url := presignGetCallerIdentity(t, s.Endpoint, rootSecret, presigner{expires: time.Hour})
	code, body := get(t, url)
	if code != http.StatusOK {
		t.Fatalf("presigned GET: %d %s", code, body)
	}
	for _, want := range []string{"<GetCallerIdentityResponse", "<Account>" + managementAccount + "</Account>",
		"<Arn>arn:aws:iam::" + managementAccount + ":root</Arn>"} {
		if !strings.Contains(body, want) {
			t.Errorf("presigned GET body lacks %q:\n%s", want, body)
		}
	}
	// The same URL again (wrk replays one URL).
	if code, body := get(t, url); code != http.StatusOK {
		t.Errorf("second GET of the same URL: %d %s", code, body)
	}

	bad := []struct {
		name string
		url  string
	}{
		{"wrong secret", presignGetCallerIdentity(t, s.Endpoint, "wrong-secret-0123456789", presigner{expires: time.Hour})},
		{"expired", presignGetCallerIdentity(t, s.Endpoint, rootSecret,
			presigner{expires: time.Minute, at: time.Now().Add(-2 * time.Hour)})},
		{"tampered query", strings.Replace(url, "Version=2011-06-15", "Version=2011-06-15&Extra=1", 1)},
	}
	for _, tc := range bad {
		code, body := get(t, tc.url)
		if code < 400 || code >= 500 {
			t.Errorf("%s: status %d, want 4xx; body %s", tc.name, code, body)
		}
		if strings.Contains(body, "<Account>") {
			t.Errorf("%s: answered with an identity: %s", tc.name, body)
		}
		if !strings.Contains(body, "<ErrorResponse") {
			t.Errorf("%s: not a query-protocol error: %s", tc.name, body)
		}
		t.Logf("%s: %d %s", tc.name, code, strings.Join(strings.Fields(body), " "))
	}
}
