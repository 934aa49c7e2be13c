package signin

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"
)

// HashParams are argon2id's cost parameters.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32 // iterations
	Threads uint8
}

// DefaultHashParams returns OWASP's recommended argon2id parameters (19 MiB,
// 2 iterations, 1 thread).
func DefaultHashParams() HashParams { return HashParams{Memory: 19 * 1024, Time: 2, Threads: 1} }

const (
	saltLen = 16
	keyLen  = 32
	// MinPasswordLength and MaxPasswordLength bound passwords (AWS: 8 to 64).
	MinPasswordLength = 8
	MaxPasswordLength = 64
)

// ErrPasswordPolicy is wrapped by every password policy violation; the
// message says which rule failed.
var ErrPasswordPolicy = errors.New("password does not meet the policy")

// CheckPolicy reports (wrapping ErrPasswordPolicy) why password is not
// acceptable for userName: 8 to 64 characters, at least one lower-case and
// one upper-case letter, one digit and one other character, not the user name.
func CheckPolicy(userName, password string) error {
	n := len([]rune(password))
	if n < MinPasswordLength || n > MaxPasswordLength {
		return fmt.Errorf("%w: use %d to %d characters", ErrPasswordPolicy, MinPasswordLength, MaxPasswordLength)
	}
	var lower, upper, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsControl(r):
			return fmt.Errorf("%w: control characters are not allowed", ErrPasswordPolicy)
		default:
			other = true
		}
	}
	if !lower || !upper || !digit || !other {
		return fmt.Errorf("%w: include a lower-case letter, an upper-case letter, a number and a non-alphanumeric character", ErrPasswordPolicy)
	}
	if strings.EqualFold(password, userName) {
		return fmt.Errorf("%w: the password must not be the user name", ErrPasswordPolicy)
	}
	return nil
}

// hashPassword returns the PHC string of password's argon2id hash.
func hashPassword(rand io.Reader, p HashParams, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return "", fmt.Errorf("signin: password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// verifyPassword reports whether password matches the PHC string encoded,
// comparing in constant time.
func verifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("signin: stored password hash is not argon2id")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, fmt.Errorf("signin: stored password hash version %q", parts[2])
	}
	var p HashParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("signin: stored password hash parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("signin: stored password salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, fmt.Errorf("signin: stored password hash: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// One-time passwords draw from these sets (no look-alike characters).
const (
	otpLower  = "abcdefghijkmnpqrstuvwxyz"
	otpUpper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	otpDigits = "23456789"
	otpOther  = "!#%+-=?@^_"
	otpLength = 16
)

// generatePassword makes a random password that meets the policy.
func generatePassword(rand io.Reader) (string, error) {
	all := otpLower + otpUpper + otpDigits + otpOther
	sets := []string{otpLower, otpUpper, otpDigits, otpOther}
	for {
		out := make([]byte, otpLength)
		for i := range out {
			set := all
			if i < len(sets) {
				set = sets[i]
			}
			c, err := pick(rand, len(set))
			if err != nil {
				return "", err
			}
			out[i] = set[c]
		}
		// Shuffle so that the class of each position is not predictable.
		for i := len(out) - 1; i > 0; i-- {
			j, err := pick(rand, i+1)
			if err != nil {
				return "", err
			}
			out[i], out[j] = out[j], out[i]
		}
		if CheckPolicy("", string(out)) == nil {
			return string(out), nil
		}
	}
}

// pick returns a uniform random number in [0, n) (n <= 256) by rejection.
func pick(rand io.Reader, n int) (int, error) {
	limit := 256 - 256%n
	var b [1]byte
	for {
		if _, err := io.ReadFull(rand, b[:]); err != nil {
			return 0, fmt.Errorf("signin: random password: %w", err)
		}
		if int(b[0]) < limit {
			return int(b[0]) % n, nil
		}
	}
}
