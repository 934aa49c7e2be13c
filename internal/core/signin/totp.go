package signin

import (
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP parameters: RFC 6238's defaults, which every authenticator app reads.
const (
	totpPeriod     = 30
	totpDigits     = otp.DigitsSix
	totpSecretSize = 20 // bytes: 160 bits, RFC 4226's recommendation
	// totpSkew is how many steps before and after the current one are accepted.
	totpSkew = 1
)

// Enrolment is a new TOTP secret to show to the user.
type Enrolment struct {
	Secret string // base32, no padding
	URL    string // otpauth://totp/…
}

func totpOpts() totp.ValidateOpts {
	return totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}
}

// step is the RFC 6238 time step of t.
func step(t time.Time) int64 { return t.Unix() / totpPeriod }

// normaliseSecret upper-cases and strips spaces and padding, and checks that
// the secret is base32 of at least 128 bits.
func normaliseSecret(secret string) (string, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(secret))
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil || len(raw) < 16 {
		return "", fmt.Errorf("%w: not a base32 secret of at least 128 bits", ErrInvalidCode)
	}
	return s, nil
}

// matchStep returns the time step within ±totpSkew of now whose code is
// code, comparing in constant time, and whether one matched.
func matchStep(secret, code string, now time.Time) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != totpDigits.Length() {
		return 0, false
	}
	cur := step(now)
	var found int64
	ok := false
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		st := cur + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(st*totpPeriod, 0), totpOpts())
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && !ok {
			found, ok = st, true
		}
	}
	return found, ok
}

// Code computes the TOTP code of secret at t (for tests and scripts that
// hold the secret).
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts())
}

// EnrolmentFor rebuilds the Enrolment of a secret being registered (to show
// the page again after a wrong code).
func (s *Service) EnrolmentFor(userName, secret string) (Enrolment, error) {
	norm, err := normaliseSecret(secret)
	if err != nil {
		return Enrolment{}, err
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(norm)
	if err != nil {
		return Enrolment{}, fmt.Errorf("%w: not base32", ErrInvalidCode)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.issuer(), AccountName: userName, Period: totpPeriod,
		Secret: raw, Digits: totpDigits})
	if err != nil {
		return Enrolment{}, fmt.Errorf("signin: totp url: %w", err)
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL()}, nil
}
