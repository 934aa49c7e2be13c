package app_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestIAMProvidersSAML(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	acct := ts.World.Organization.ManagementAccountID
	idp := newTestIdP(t, "https://idp.example.com/metadata")

	out, err := c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("Corp"), SAMLMetadataDocument: aws.String(idp.Metadata()),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("id")}}})
	if err != nil {
		t.Fatalf("CreateSAMLProvider: %v", err)
	}
	arn := aws.ToString(out.SAMLProviderArn)
	if arn != "arn:aws:iam::"+acct+":saml-provider/Corp" || len(out.Tags) != 1 {
		t.Fatalf("CreateSAMLProvider = %s, %v", arn, out.Tags)
	}

	badMetadata := strings.Repeat(" ", 1000) + "<not-metadata/>"
	noCert := strings.Replace(idp.Metadata(), "<md:KeyDescriptor", "<md:Unused", 1)
	noCert = strings.Replace(noCert, "</md:KeyDescriptor>", "</md:Unused>", 1)
	refused := []struct {
		name, provider, doc, code string
	}{
		{"duplicate name", "Corp", idp.Metadata(), "EntityAlreadyExists"},
		{"not metadata", "Other", badMetadata, "InvalidInput"},
		{"no signing certificate", "Other", noCert, "InvalidInput"},
		{"metadata too short", "Other", "<x/>", "ValidationError"},
		{"bad name", "bad name", idp.Metadata(), "ValidationError"},
	}
	for _, tt := range refused {
		_, err := c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String(tt.provider), SAMLMetadataDocument: aws.String(tt.doc)})
		wantAPIError(t, tt.name, err, tt.code)
	}

	got, err := c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(arn)})
	if err != nil || aws.ToString(got.SAMLMetadataDocument) != idp.Metadata() || got.CreateDate == nil || got.ValidUntil == nil ||
		len(aws.ToString(got.SAMLProviderUUID)) < 22 || len(got.Tags) != 1 {
		t.Fatalf("GetSAMLProvider = %+v, %v", got, err)
	}
	_, err = c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String("arn:aws:iam::" + acct + ":saml-provider/Nope")})
	wantAPIError(t, "unknown provider", err, "NoSuchEntity")

	// A private key for encrypted assertions; Required needs one.
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	if _, err := c.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(arn), AddPrivateKey: aws.String(pemKey),
		AssertionEncryptionMode: iamtypes.AssertionEncryptionModeTypeRequired}); err != nil {
		t.Fatalf("UpdateSAMLProvider add key: %v", err)
	}
	got, err = c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(arn)})
	if err != nil || len(got.PrivateKeyList) != 1 || got.AssertionEncryptionMode != iamtypes.AssertionEncryptionModeTypeRequired {
		t.Fatalf("after adding a key: %+v, %v", got, err)
	}
	keyID := aws.ToString(got.PrivateKeyList[0].KeyId)
	_, err = c.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(arn), RemovePrivateKey: aws.String(keyID)})
	wantAPIError(t, "removing the only key while Required", err, "InvalidInput")
	_, err = c.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(arn), AddPrivateKey: aws.String("not a key")})
	wantAPIError(t, "bad private key", err, "InvalidInput")
	if _, err := c.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(arn), RemovePrivateKey: aws.String(keyID),
		AssertionEncryptionMode: iamtypes.AssertionEncryptionModeTypeAllowed}); err != nil {
		t.Fatalf("UpdateSAMLProvider remove key: %v", err)
	}
	other := newTestIdP(t, "https://idp2.example.com/metadata")
	if _, err := c.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(arn), SAMLMetadataDocument: aws.String(other.Metadata())}); err != nil {
		t.Fatalf("UpdateSAMLProvider metadata: %v", err)
	}
	_, err = c.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: aws.String(arn), SAMLMetadataDocument: aws.String(badMetadata)})
	wantAPIError(t, "update with bad metadata", err, "InvalidInput")
	got, _ = c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: aws.String(arn)})
	if aws.ToString(got.SAMLMetadataDocument) != other.Metadata() || len(got.PrivateKeyList) != 0 {
		t.Fatalf("after updates: %+v", got)
	}

	// Tags.
	if _, err := c.TagSAMLProvider(ctx, &iam.TagSAMLProviderInput{SAMLProviderArn: aws.String(arn),
		Tags: []iamtypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagSAMLProvider(ctx, &iam.UntagSAMLProviderInput{SAMLProviderArn: aws.String(arn), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListSAMLProviderTags(ctx, &iam.ListSAMLProviderTagsInput{SAMLProviderArn: aws.String(arn)})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "env" {
		t.Fatalf("ListSAMLProviderTags = %+v, %v", tags, err)
	}

	list, err := c.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
	if err != nil || len(list.SAMLProviderList) != 1 || aws.ToString(list.SAMLProviderList[0].Arn) != arn || list.SAMLProviderList[0].ValidUntil == nil {
		t.Fatalf("ListSAMLProviders = %+v, %v", list, err)
	}
	if _, err := c.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{SAMLProviderArn: aws.String(arn)})
	wantAPIError(t, "delete twice", err, "NoSuchEntity")
	list, _ = c.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
	if len(list.SAMLProviderList) != 0 {
		t.Fatalf("after delete: %+v", list.SAMLProviderList)
	}
}

func TestIAMProvidersOIDC(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	c := iam.NewFromConfig(ts.rootConfig(t))
	acct := ts.World.Organization.ManagementAccountID
	thumb := strings.Repeat("ab", 20)

	out, err := c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://token.example.com/tenant"),
		ClientIDList: []string{"sts.amazonaws.com"}, ThumbprintList: []string{thumb}})
	if err != nil {
		t.Fatalf("CreateOpenIDConnectProvider: %v", err)
	}
	arn := aws.ToString(out.OpenIDConnectProviderArn)
	if arn != "arn:aws:iam::"+acct+":oidc-provider/token.example.com/tenant" {
		t.Fatalf("ARN = %s", arn)
	}
	// Thumbprints are optional now.
	out2, err := c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://other.example.com")})
	if err != nil {
		t.Fatalf("CreateOpenIDConnectProvider without thumbprints: %v", err)
	}

	refused := []struct {
		name string
		in   iam.CreateOpenIDConnectProviderInput
		code string
	}{
		{"duplicate url", iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://token.example.com/tenant")}, "EntityAlreadyExists"},
		{"http url", iam.CreateOpenIDConnectProviderInput{Url: aws.String("http://plain.example.com")}, "InvalidInput"},
		{"url with query", iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://q.example.com/?a=b")}, "InvalidInput"},
		{"short thumbprint", iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://t.example.com"), ThumbprintList: []string{"abc"}}, "ValidationError"},
		{"non-hex thumbprint", iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://t.example.com"), ThumbprintList: []string{strings.Repeat("zz", 20)}}, "InvalidInput"},
		{"six thumbprints", iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://t.example.com"),
			ThumbprintList: []string{thumb, thumb, thumb, thumb, thumb, thumb}}, "LimitExceeded"},
	}
	for _, tt := range refused {
		_, err := c.CreateOpenIDConnectProvider(ctx, &tt.in)
		wantAPIError(t, tt.name, err, tt.code)
	}

	for _, id := range []string{"app-1", "app-1", "app-2"} { // adding a present id is a no-op
		if _, err := c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), ClientID: aws.String(id)}); err != nil {
			t.Fatalf("AddClientID %s: %v", id, err)
		}
	}
	if _, err := c.RemoveClientIDFromOpenIDConnectProvider(ctx, &iam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), ClientID: aws.String("app-2")}); err != nil {
		t.Fatal(err)
	}
	newThumb := strings.Repeat("cd", 20)
	if _, err := c.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: aws.String(arn), ThumbprintList: []string{newThumb}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
	if err != nil || aws.ToString(got.Url) != "token.example.com/tenant" || strings.Join(got.ClientIDList, ",") != "sts.amazonaws.com,app-1" ||
		strings.Join(got.ThumbprintList, ",") != newThumb || got.CreateDate == nil {
		t.Fatalf("GetOpenIDConnectProvider = %+v, %v", got, err)
	}
	_, err = c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String("arn:aws:iam::" + acct + ":oidc-provider/none.example.com")})
	wantAPIError(t, "unknown provider", err, "NoSuchEntity")
	_, err = c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String("arn:aws:iam::" + acct + ":oidc-provider/none.example.com"), ClientID: aws.String("x")})
	wantAPIError(t, "add client id to unknown provider", err, "NoSuchEntity")

	if _, err := c.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn),
		Tags: []iamtypes.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn),
		Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("1")}, {Key: aws.String("K"), Value: aws.String("2")}}})
	wantAPIError(t, "duplicate tag keys", err, "InvalidInput")
	if _, err := c.UntagOpenIDConnectProvider(ctx, &iam.UntagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), TagKeys: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListOpenIDConnectProviderTags(ctx, &iam.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: aws.String(arn)})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "b" {
		t.Fatalf("ListOpenIDConnectProviderTags = %+v, %v", tags, err)
	}

	list, err := c.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
	if err != nil || len(list.OpenIDConnectProviderList) != 2 {
		t.Fatalf("ListOpenIDConnectProviders = %+v, %v", list, err)
	}
	for _, a := range []string{arn, aws.ToString(out2.OpenIDConnectProviderArn)} {
		if _, err := c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(a)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
	wantAPIError(t, "delete twice", err, "NoSuchEntity")
}

// An IAM user needs iam:CreateSAMLProvider on the provider's ARN.
func TestIAMProvidersAuthorised(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	root := iam.NewFromConfig(ts.rootConfig(t))
	acct := ts.World.Organization.ManagementAccountID
	if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("idadmin")}); err != nil {
		t.Fatal(err)
	}
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateSAMLProvider","iam:ListSAMLProviders"],"Resource":"arn:aws:iam::` + acct + `:saml-provider/Allowed*"},
	  {"Effect":"Allow","Action":"iam:ListSAMLProviders","Resource":"*"}]}`
	if _, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("idadmin"), PolicyName: aws.String("p"), PolicyDocument: aws.String(pol)}); err != nil {
		t.Fatal(err)
	}
	k, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("idadmin")})
	if err != nil {
		t.Fatal(err)
	}
	u := iam.NewFromConfig(ts.awsConfig(t, aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey)))
	md := newTestIdP(t, "https://idp.example.com/x").Metadata()
	if _, err := u.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("AllowedIdP"), SAMLMetadataDocument: aws.String(md)}); err != nil {
		t.Fatalf("allowed CreateSAMLProvider: %v", err)
	}
	_, err = u.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("Other"), SAMLMetadataDocument: aws.String(md)})
	wantAPIError(t, "CreateSAMLProvider outside the allowed names", err, "AccessDenied")
	_, err = u.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://x.example.com")})
	wantAPIError(t, "CreateOpenIDConnectProvider without permission", err, "AccessDenied")
	if _, err := u.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{}); err != nil {
		t.Fatalf("ListSAMLProviders: %v", err)
	}
}
