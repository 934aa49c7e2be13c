package access

import (
	"errors"
	"github.com/idcenter/idcenter/internal/policy"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/idcenter/idcenter/internal/core/fault"
	"github.com/idcenter/idcenter/internal/core/iam"
	"github.com/idcenter/idcenter/internal/store"
)

// Limits of IAM Identity Center (API reference and "Quotas and limits").
const (
	maxPageSize            = 100
	maxPermissionSets      = 3500 // per instance
	maxAttachedPolicies    = 20   // AWS managed + customer managed per permission set
	maxInlinePolicyLength  = 32768
	maxTagsPerResource     = 50
	maxTagKeyLength        = 128
	maxTagValueLength      = 256
	maxNameLength          = 32
	maxDescriptionLength   = 700
	maxRelayStateLength    = 240
	maxSessionDuration     = 12 * time.Hour
	minSessionDuration     = time.Hour
	defaultSessionDuration = "PT1H"
	defaultPolicyPath      = "/"
)

// Read-only pattern tables.
var (
	namePattern        = regexp.MustCompile(`^[\w+=,.@-]+$`)
	managedARNPattern  = regexp.MustCompile(`^arn:aws(-[a-z]{1,5}){0,3}:iam::aws:policy((/[A-Za-z0-9\.,\+@=_-]+)*)/([A-Za-z0-9\.,\+=@_-]+)$`)
	policyNamePattern  = regexp.MustCompile(`^[\w+=,.@-]+$`)
	policyPathPattern  = regexp.MustCompile(`^((/[A-Za-z0-9\.,\+@=_-]+)*)/$`)
	durationPattern    = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)
	tagPattern         = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	instanceARNPattern = regexp.MustCompile(`^(arn:aws(?:-[a-z]{1,5}){0,3}):sso:::instance/((?:sso)?ins-[a-zA-Z0-9-.]{16})$`)
	psARNPattern       = regexp.MustCompile(`^(arn:aws(?:-[a-z]{1,5}){0,3}):sso:::permissionSet/((?:sso)?ins-[a-zA-Z0-9-.]{16})/ps-[a-zA-Z0-9-./]{16}$`)
)

func validateName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > maxNameLength || !namePattern.MatchString(name) {
		return fault.Validationf("Name must be 1 to %d characters of [\\w+=,.@-].", maxNameLength)
	}
	return nil
}

// validateAttributes checks the optional attributes of a permission set; empty
// means "not given".
func validateAttributes(description, sessionDuration, relayState string) error {
	if utf8.RuneCountInString(description) > maxDescriptionLength {
		return fault.Validationf("Description must be at most %d characters.", maxDescriptionLength)
	}
	if utf8.RuneCountInString(relayState) > maxRelayStateLength {
		return fault.Validationf("RelayState must be at most %d characters.", maxRelayStateLength)
	}
	if sessionDuration != "" {
		d, ok := parseDuration(sessionDuration)
		if !ok {
			return fault.Validationf("SessionDuration %s is not a valid ISO-8601 duration.", sessionDuration)
		}
		if d < minSessionDuration || d > maxSessionDuration {
			return fault.Validationf("SessionDuration must be between PT1H and PT12H; %s is not.", sessionDuration)
		}
	}
	return nil
}

// parseDuration reads an ISO-8601 duration (PnYnMnWnDTnHnMnS). Years and months
// count as 365 and 30 days: they only need to be told out of range.
func parseDuration(s string) (time.Duration, bool) {
	m := durationPattern.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return 0, false
	}
	units := []time.Duration{365 * 24 * time.Hour, 30 * 24 * time.Hour, 7 * 24 * time.Hour, 24 * time.Hour, time.Hour, time.Minute, time.Second}
	var total float64
	for i, u := range units {
		if m[i+1] == "" {
			continue
		}
		v, err := strconv.ParseFloat(m[i+1], 64)
		if err != nil {
			return 0, false
		}
		total += v * float64(u)
	}
	if total > float64(100*365*24*time.Hour) {
		return time.Duration(1<<62 - 1), true
	}
	return time.Duration(total), true
}

// SessionSeconds converts a stored SessionDuration to seconds (for the role's
// MaxSessionDuration); 3600 when it cannot be read.
func SessionSeconds(sessionDuration string) int {
	d, ok := parseDuration(sessionDuration)
	if !ok || d <= 0 {
		return 3600
	}
	return int(d / time.Second)
}

func validateInlinePolicy(doc string) error {
	if doc == "" {
		return fault.Validationf("InlinePolicy is required.")
	}
	if utf8.RuneCountInString(doc) > maxInlinePolicyLength {
		return fault.Validationf("InlinePolicy must be at most %d characters.", maxInlinePolicyLength)
	}
	// The same engine that will evaluate the provisioned role checks the
	// document, so nothing stored is unevaluable later.
	if _, err := policy.Compile(doc, policy.KindIdentity); err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return fault.Validationf("The InlinePolicy is malformed: %s", pe.Message)
		}
		return fault.Validationf("The InlinePolicy is malformed.")
	}
	return nil
}

// managedPolicyName is the last path segment of an AWS managed policy ARN.
func managedPolicyName(arn string) string {
	return arn[strings.LastIndex(arn, "/")+1:]
}

// validateManagedARN checks an AWS managed policy ARN: its form, then that
// the policy exists in the bundled catalog (AWS rejects an ARN that names no
// AWS managed policy before anything is stored).
func validateManagedARN(arn string) error {
	if !managedARNPattern.MatchString(arn) {
		return fault.Validationf("ManagedPolicyArn %s is not an AWS managed policy ARN (arn:aws:iam::aws:policy/...).", arn)
	}
	if !iam.IsAWSManaged(arn) {
		return fault.Validationf("Policy %s does not exist or is not attachable.", arn)
	}
	return nil
}

// normaliseReference applies the default path and validates the reference.
func normaliseReference(r store.PolicyReference) (store.PolicyReference, error) {
	if r.Path == "" {
		r.Path = defaultPolicyPath
	}
	if r.Name == "" || len(r.Name) > 128 || !policyNamePattern.MatchString(r.Name) {
		return r, fault.Validationf("CustomerManagedPolicyReference Name must be 1 to 128 characters of [\\w+=,.@-].")
	}
	if len(r.Path) > 512 || !policyPathPattern.MatchString(r.Path) {
		return r, fault.Validationf("CustomerManagedPolicyReference Path must begin and end with / (for example /division/).")
	}
	return r, nil
}

func validateTags(tags []store.Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		if t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKeyLength || !tagPattern.MatchString(t.Key) {
			return fault.Validationf("Tag key %q must be 1 to %d letters, digits, spaces or _.:/=+-@.", t.Key, maxTagKeyLength)
		}
		if utf8.RuneCountInString(t.Value) > maxTagValueLength || !tagPattern.MatchString(t.Value) {
			return fault.Validationf("Tag value for key %s must be at most %d letters, digits, spaces or _.:/=+-@.", t.Key, maxTagValueLength)
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return fault.Validationf("Tag keys starting with aws: are reserved for AWS use.")
		}
		if seen[t.Key] {
			return fault.Validationf("Duplicate tag key %s.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

func validateTagKeys(keys []string) error {
	for _, k := range keys {
		if k == "" || utf8.RuneCountInString(k) > maxTagKeyLength || !tagPattern.MatchString(k) {
			return fault.Validationf("Tag key %q must be 1 to %d letters, digits, spaces or _.:/=+-@.", k, maxTagKeyLength)
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return fault.Validationf("Tag keys starting with aws: are reserved for AWS use.")
		}
	}
	return nil
}

// permissionSetARN builds a set's ARN inside an instance (same partition).
func permissionSetARN(instanceARN, id string) (string, error) {
	m := instanceARNPattern.FindStringSubmatch(instanceARN)
	if m == nil {
		return "", fault.Validationf("InstanceArn %s is not a valid instance ARN.", instanceARN)
	}
	return m[1] + ":sso:::permissionSet/" + m[2] + "/ps-" + id, nil
}

// instanceOf names the instance a taggable resource belongs to; ok is false for
// resources that are not an instance or a permission set.
func instanceOf(resourceARN string) (string, bool) {
	if instanceARNPattern.MatchString(resourceARN) {
		return resourceARN, true
	}
	if m := psARNPattern.FindStringSubmatch(resourceARN); m != nil {
		return m[1] + ":sso:::instance/" + m[2], true
	}
	return ownedInstanceOf(resourceARN)
}

func pageSize(maxResults int) (int, error) {
	if maxResults < 0 || maxResults > maxPageSize {
		return 0, fault.Validationf("MaxResults must be between 1 and %d.", maxPageSize)
	}
	return maxResults, nil
}
