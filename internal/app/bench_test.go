package app_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/sigv4"
)

// BenchmarkDescribeUser measures one identitystore DescribeUser through the
// whole stack — loopback HTTP, routing, SigV4 verification, decoding and
// validation, authorisation, the core, SQLite, encoding — with one signed
// request replayed (as a client retrying within the skew window would).
func BenchmarkDescribeUser(b *testing.B) {
	ts := startServer(b)
	b.Setenv("AWS_CA_BUNDLE", "")
	c := newIdentityClient(b, ts)
	storeID := ts.World.Instance.IdentityStoreID
	userID := createBojan(b, c, storeID)

	body := []byte(`{"IdentityStoreId":"` + storeID + `","UserId":"` + userID + `"}`)
	req, _ := http.NewRequest("POST", ts.URL+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSIdentityStore.DescribeUser")
	if err := sigv4.Sign(req, body, sigv4.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}, "us-east-1", "identitystore", time.Now()); err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	do := func() {
		r := req.Clone(req.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
		resp, err := client.Do(r)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	do()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		do()
	}
}

// BenchmarkPresignedGetCallerIdentity is the request bench/load.sh replays: one
// presigned sts:GetCallerIdentity GET, through the whole stack.
func BenchmarkPresignedGetCallerIdentity(b *testing.B) {
	ts := startServer(b)
	req, _ := http.NewRequest("GET", ts.URL+"/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	u, err := sigv4.Presign(req, sigv4.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}, "us-east-1", "sts", time.Now(), time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	do := func() {
		resp, err := client.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	do()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		do()
	}
}
