package tlsca

import (
	"regexp"
	"strings"
)

// awsHost matches the AWS endpoint host names idcenter serves: the regional
// sso-admin, identitystore, sso-oidc, portal and STS hosts, the global STS and
// IAM hosts and Organizations' us-east-1 host, each also in its FIPS form.
var awsHost = regexp.MustCompile(`^(?:` +
	`(?:sso|identitystore|oidc|sts)(?:-fips)?\.[a-z]{2}(?:-[a-z]+)+-\d\.amazonaws\.com` +
	`|portal\.sso(?:-fips)?\.[a-z]{2}(?:-[a-z]+)+-\d\.amazonaws\.com` +
	`|(?:sts|iam)(?:-fips)?\.amazonaws\.com` +
	`|iam\.global\.api\.aws` +
	`|organizations(?:-fips)?\.us-east-1\.amazonaws\.com` +
	`)$`)

// Allowed reports whether host (without port) is an AWS host name idcenter serves.
func Allowed(host string) bool {
	return awsHost.MatchString(strings.ToLower(strings.TrimSuffix(host, ".")))
}

// Region returns the region an AWS host name carries ("" for global hosts).
func Region(host string) string {
	h := strings.ToLower(host)
	if !Allowed(h) {
		return ""
	}
	parts := strings.Split(h, ".")
	// <svc>.<region>.amazonaws.com or portal.sso.<region>.amazonaws.com
	for _, p := range parts {
		if strings.Count(p, "-") >= 2 && p[len(p)-1] >= '0' && p[len(p)-1] <= '9' {
			return p
		}
	}
	return ""
}
