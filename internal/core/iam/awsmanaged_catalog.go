package iam

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/policy"
	"github.com/idcenter/idcenter/internal/store"
)

// awsManagedFiles holds AWS's published managed policies, one file each: the
// default version's document with the policy's metadata as IAM reports it.
//
//go:embed awsmanaged/*.json
var awsManagedFiles embed.FS

// awsManagedFile is the format of a file under awsmanaged/.
type awsManagedFile struct {
	PolicyName       string
	Path             string
	PolicyID         string `json:"PolicyId"`
	DefaultVersionID string `json:"DefaultVersionId"`
	CreateDate       time.Time
	UpdateDate       time.Time // the default version's creation
	Description      string
	Document         json.RawMessage
}

// awsManagedPolicy is one catalog entry: the policy and its default version's
// document.
type awsManagedPolicy struct {
	Policy   store.IAMPolicy
	Document string
}

// awsManagedCatalog is the bundled catalog by ARN, read from the embedded
// files once; the files are part of the build, so a broken one is a
// programming error (the package tests read them all).
var awsManagedCatalog = sync.OnceValue(func() map[string]awsManagedPolicy {
	m, err := loadAWSManaged(awsManagedFiles)
	if err != nil {
		panic(err)
	}
	return m
})

// loadAWSManaged reads and checks every awsmanaged/*.json file of fsys.
func loadAWSManaged(fsys fs.FS) (map[string]awsManagedPolicy, error) {
	names, err := fs.Glob(fsys, "awsmanaged/*.json")
	if err != nil {
		return nil, err
	}
	out := make(map[string]awsManagedPolicy, len(names))
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		p, err := parseAWSManaged(raw)
		if err != nil {
			return nil, fmt.Errorf("iam: AWS managed policy %s: %w", name, err)
		}
		if _, dup := out[p.Policy.ARN]; dup {
			return nil, fmt.Errorf("iam: AWS managed policy %s: duplicate ARN %s", name, p.Policy.ARN)
		}
		out[p.Policy.ARN] = p
	}
	return out, nil
}

func parseAWSManaged(raw []byte) (awsManagedPolicy, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var f awsManagedFile
	if err := dec.Decode(&f); err != nil {
		return awsManagedPolicy{}, err
	}
	if f.PolicyName == "" || !strings.HasPrefix(f.PolicyID, "ANPA") || f.CreateDate.IsZero() || f.UpdateDate.IsZero() {
		return awsManagedPolicy{}, fmt.Errorf("PolicyName, PolicyId (ANPA…), CreateDate and UpdateDate are required")
	}
	if !strings.HasPrefix(f.Path, "/") || !strings.HasSuffix(f.Path, "/") {
		return awsManagedPolicy{}, fmt.Errorf("path %q must begin and end with /", f.Path)
	}
	n, err := strconv.Atoi(strings.TrimPrefix(f.DefaultVersionID, "v"))
	if err != nil || n < 1 || !strings.HasPrefix(f.DefaultVersionID, "v") {
		return awsManagedPolicy{}, fmt.Errorf("DefaultVersionId %q is not v<N>", f.DefaultVersionID)
	}
	var doc bytes.Buffer
	if err := json.Compact(&doc, f.Document); err != nil {
		return awsManagedPolicy{}, fmt.Errorf("document: %w", err)
	}
	if _, err := policy.Compile(doc.String(), policy.KindIdentity); err != nil {
		return awsManagedPolicy{}, fmt.Errorf("document: %w", err)
	}
	arn := awsPolicyPrefix + f.Path + f.PolicyName
	return awsManagedPolicy{
		Policy: store.IAMPolicy{AccountID: "aws", PolicyID: f.PolicyID, PolicyName: f.PolicyName, Path: f.Path, ARN: arn,
			Description: f.Description, DefaultVersionID: f.DefaultVersionID, LastVersion: n,
			CreatedAt: f.CreateDate.UTC(), UpdatedAt: f.UpdateDate.UTC()},
		Document: doc.String(),
	}, nil
}

// lookupAWSManaged finds an AWS managed policy of the catalog by ARN.
func lookupAWSManaged(arn string) (awsManagedPolicy, bool) {
	m, ok := awsManagedCatalog()[arn]
	return m, ok
}

// IsAWSManaged reports whether arn names an AWS managed policy of the bundled
// catalog. Other partitions (arn:aws-cn:…, arn:aws-us-gov:…) publish the same
// policies, so the partition is not compared.
func IsAWSManaged(arn string) bool {
	_, ok := lookupAWSManaged(commercialARN(arn))
	return ok
}

// AWSManagedARNs lists the catalog's ARNs, sorted.
func AWSManagedARNs() []string {
	c := awsManagedCatalog()
	out := make([]string, 0, len(c))
	for arn := range c {
		out = append(out, arn)
	}
	sort.Strings(out)
	return out
}

// commercialARN rewrites an ARN's partition to aws.
func commercialARN(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) != 3 || parts[0] != "arn" || !strings.HasPrefix(parts[1], "aws") {
		return arn
	}
	return "arn:aws:" + parts[2]
}
