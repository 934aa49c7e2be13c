package iam

import (
	"strings"
	"testing"
)

func TestFillTemplate(t *testing.T) {
	params := []DelegationParameter{{Name: "bucket", Values: []string{"logs"}}, {Name: "users", Values: []string{"alice", "bob"}},
		{Name: "envs", Values: []string{"dev", "prod"}}}
	cases := []struct {
		name, doc, want, err string
	}{
		{"single value in a scalar", `{"Resource":"arn:aws:s3:::${bucket}/*"}`, `{"Resource":"arn:aws:s3:::logs/*"}`, ""},
		{"several values make a scalar a list", `{"Resource":"user/${users}"}`, `{"Resource":["user/alice","user/bob"]}`, ""},
		{"several values expand in a list", `{"Resource":["a","u/${users}","b"]}`, `{"Resource":["a","u/alice","u/bob","b"]}`, ""},
		{"two parameters: every combination", `{"R":"${envs}/${users}"}`, `{"R":["dev/alice","dev/bob","prod/alice","prod/bob"]}`, ""},
		{"policy variables are left alone", `{"R":"user/${aws:username}/${*}/${?}/${$}/${bucket}"}`, `{"R":"user/${aws:username}/${*}/${?}/${$}/logs"}`, ""},
		{"keys are not substituted, numbers kept", `{"${bucket}":1.50}`, `{"${bucket}":1.50}`, ""},
		{"unknown placeholder refused", `{"R":"${nope}"}`, "", "placeholder ${nope} has no parameter value"},
		{"not JSON", `{`, "", "not JSON"},
	}
	for _, c := range cases {
		got, err := fillTemplate(c.doc, params)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: err = %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: got %s, %v; want %s", c.name, got, err, c.want)
		}
	}
}
