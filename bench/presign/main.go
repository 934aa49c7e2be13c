package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// expiringPresigner adds X-Amz-Expires to the query before signing: the SDK signer leaves the
// validity period to the caller, and the STS presign client's default is the signer's (15 min).
type expiringPresigner struct {
	inner   sts.HTTPPresignerV4
	expires time.Duration
}

func (p expiringPresigner) PresignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request,
	payloadHash, service, region string, signingTime time.Time, optFns ...func(*v4.SignerOptions),
) (string, http.Header, error) {
	q := r.URL.Query()
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(p.expires/time.Second), 10))
	r.URL.RawQuery = q.Encode()
	return p.inner.PresignHTTP(ctx, creds, r, payloadHash, service, region, signingTime, optFns...)
}

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:7400", "idcenter endpoint URL")
	region := flag.String("region", "us-east-1", "signing region")
	key := flag.String("key", os.Getenv("IDCENTER_ROOT_ACCESS_KEY_ID"), "access key id")
	secret := flag.String("secret", os.Getenv("IDCENTER_ROOT_SECRET_ACCESS_KEY"), "secret access key")
	expires := flag.Duration("expires", time.Hour, "validity of the URL (at most 7 days)")
	flag.Parse()
	if *key == "" || *secret == "" {
		fmt.Fprintln(os.Stderr, "presign: need -key and -secret (or IDCENTER_ROOT_ACCESS_KEY_ID / IDCENTER_ROOT_SECRET_ACCESS_KEY)")
		os.Exit(2)
	}
	client := sts.New(sts.Options{
		Region:       *region,
		BaseEndpoint: aws.String(*endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(*key, *secret, ""),
	})
	pc := sts.NewPresignClient(client, func(o *sts.PresignOptions) {
		o.Presigner = expiringPresigner{inner: v4.NewSigner(), expires: *expires}
	})
	req, err := pc.PresignGetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "presign:", err)
		os.Exit(1)
	}
	if req.Method != http.MethodGet {
		fmt.Fprintf(os.Stderr, "presign: SDK produced a %s request, want GET\n", req.Method)
		os.Exit(1)
	}
	fmt.Println(req.URL)
}
