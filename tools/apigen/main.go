package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"io"
	"os"
	"path/filepath"
)

// service maps a botocore model file to the Go package it is generated into.
type service struct {
	model string // file name without .json.gz
	pkg   string
}

var services = []service{
	{"sso-admin", "ssoadmin"},
	{"identitystore", "identitystore"},
	{"sso-oidc", "ssooidc"},
	{"sso", "ssoportal"},
	{"sts", "sts"},
	{"iam", "iam"},
	{"organizations", "organizations"},
}

func main() {
	only := flag.String("service", "", "generate only this service (package or model name)")
	root := flag.String("root", "", "module root (default: nearest directory with go.mod)")
	out := flag.String("out", "", "output directory relative to the module root (default internal/api/<pkg>; needs -service)")
	flag.Parse()
	if *out != "" && *only == "" {
		fmt.Fprintln(os.Stderr, "apigen: -out needs -service")
		os.Exit(2)
	}
	if err := run(*only, *root, *out); err != nil {
		fmt.Fprintln(os.Stderr, "apigen:", err)
		os.Exit(1)
	}
}

func run(only, root, out string) error {
	if root == "" {
		r, err := findRoot()
		if err != nil {
			return err
		}
		root = r
	}
	done := false
	for _, s := range services {
		if only != "" && only != s.pkg && only != s.model {
			continue
		}
		done = true
		if err := generate(root, s, out); err != nil {
			return fmt.Errorf("%s: %w", s.model, err)
		}
	}
	if !done {
		return fmt.Errorf("unknown service %q", only)
	}
	return nil
}

func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("getwd: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod found above the working directory")
		}
		dir = parent
	}
}

func loadModel(path string) (*apiModel, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open model: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("gunzip %s: %w", path, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var m apiModel
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return &m, nil
}

func generate(root string, s service, out string) error {
	m, err := loadModel(filepath.Join(root, "tools", "apigen", "models", s.model+".json.gz"))
	if err != nil {
		return err
	}
	g := newGen(m, s)
	dir := filepath.Join(root, "internal", "api", s.pkg)
	if out != "" {
		dir = filepath.Join(root, filepath.FromSlash(out))
		g.fixture = out
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("mkdir: %w", err)
	}
	files := map[string][]byte{
		"zz_generated_types.go": g.types(),
		"zz_generated_model.go": g.model(),
		"generate.go":           g.generateFile(),
		"doc.go":                g.docFile(),
	}
	for name, src := range files {
		out, err := format.Source(src)
		if err != nil {
			return fmt.Errorf("gofmt %s: %w\n%s", name, err, src)
		}
		if err := writeIfChanged(filepath.Join(dir, name), out); err != nil {
			return err
		}
	}
	return nil
}

func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// ---- botocore model ----

type apiModel struct {
	Metadata   metadata              `json:"metadata"`
	Operations map[string]*operation `json:"operations"`
	Shapes     map[string]*shape     `json:"shapes"`
}

type metadata struct {
	APIVersion     string `json:"apiVersion"`
	EndpointPrefix string `json:"endpointPrefix"`
	JSONVersion    string `json:"jsonVersion"`
	Protocol       string `json:"protocol"`
	ServiceID      string `json:"serviceId"`
	SigningName    string `json:"signingName"`
	TargetPrefix   string `json:"targetPrefix"`
	XMLNamespace   string `json:"xmlNamespace"`
}

type shapeRef struct {
	Shape            string `json:"shape"`
	Location         string `json:"location"`
	LocationName     string `json:"locationName"`
	JSONName         string `json:"jsonName"`
	ResultWrapper    string `json:"resultWrapper"`
	Flattened        bool   `json:"flattened"`
	IdempotencyToken bool   `json:"idempotencyToken"`
	TimestampFormat  string `json:"timestampFormat"`
}

type operation struct {
	Name     string     `json:"name"`
	HTTP     httpInfo   `json:"http"`
	Input    *shapeRef  `json:"input"`
	Output   *shapeRef  `json:"output"`
	Errors   []shapeRef `json:"errors"`
	AuthType string     `json:"authtype"`
	Auth     []string   `json:"auth"`
}

type httpInfo struct {
	Method     string `json:"method"`
	RequestURI string `json:"requestUri"`
}

type shape struct {
	Type            string         `json:"type"`
	Members         orderedMembers `json:"members"`
	Required        []string       `json:"required"`
	Member          *shapeRef      `json:"member"`
	Key             *shapeRef      `json:"key"`
	Value           *shapeRef      `json:"value"`
	Min             *float64       `json:"min"`
	Max             *float64       `json:"max"`
	Pattern         string         `json:"pattern"`
	Enum            []string       `json:"enum"`
	TimestampFormat string         `json:"timestampFormat"`
	Flattened       bool           `json:"flattened"`
	Union           bool           `json:"union"`
	Document        bool           `json:"document"`
	Sensitive       bool           `json:"sensitive"`
	Exception       bool           `json:"exception"`
	Fault           bool           `json:"fault"`
	Error           *struct {
		Code           string `json:"code"`
		HTTPStatusCode int    `json:"httpStatusCode"`
		SenderFault    bool   `json:"senderFault"`
	} `json:"error"`
}

// orderedMembers keeps structure members in model order.
type orderedMembers struct {
	names []string
	refs  map[string]*shapeRef
}

func (o *orderedMembers) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("members: %w", err)
	}
	o.refs = map[string]*shapeRef{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("members: %w", err)
		}
		name, _ := tok.(string)
		var ref shapeRef
		if err := dec.Decode(&ref); err != nil {
			return fmt.Errorf("member %s: %w", name, err)
		}
		o.names = append(o.names, name)
		o.refs[name] = &ref
	}
	return nil
}
