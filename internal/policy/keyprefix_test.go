package policy

import "testing"

// TestUsesKeyPrefix: whether a policy (or any policy of a set) tests a key
// of a family, whatever case the document writes it in.
func TestUsesKeyPrefix(t *testing.T) {
	compile := func(doc string, kind Kind) *Policy {
		t.Helper()
		p, err := Compile(doc, kind)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tagged := compile(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
		{"Effect":"Deny","Action":"iam:DeleteUser","Resource":"*","Condition":{"StringEquals":{"AWS:ResourceTag/Keep":"yes"}}}]}`, KindIdentity)
	plain := compile(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/x":"y"}}}]}`, KindIdentity)
	scp := compile(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:resourcetag/env":"prod"}}}]}`, KindSCP)
	cases := []struct {
		name string
		ps   *PolicySet
		want bool
	}{
		{"identity policy", &PolicySet{Identity: []*Policy{plain, tagged}}, true},
		{"no policy tests it", &PolicySet{Identity: []*Policy{plain}, Session: []*Policy{plain}}, false},
		{"boundary", &PolicySet{Boundary: []*Policy{tagged}}, true},
		{"SCP level", &PolicySet{Identity: []*Policy{plain}, SCPs: [][]*Policy{{plain}, {scp}}}, true},
		{"resource policy", &PolicySet{Resource: tagged}, true},
		{"empty set", &PolicySet{}, false},
	}
	for _, c := range cases {
		if got := c.ps.UsesKeyPrefix("aws:resourcetag/"); got != c.want {
			t.Errorf("%s: UsesKeyPrefix = %v, want %v", c.name, got, c.want)
		}
	}
}
