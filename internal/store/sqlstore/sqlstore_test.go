package sqlstore

import "testing"

func TestRebind(t *testing.T) {
	d := &Dialect{Dollar: true}
	for _, c := range []struct{ in, want string }{
		{`SELECT a FROM t WHERE b = ? AND c > ? LIMIT ?`, `SELECT a FROM t WHERE b = $1 AND c > $2 LIMIT $3`},
		{`SELECT '?' FROM "a?" WHERE x = ?`, `SELECT '?' FROM "a?" WHERE x = $1`},
		{`SELECT 1`, `SELECT 1`},
	} {
		if got := d.Rebind(c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := d.Rebind(c.in); got != c.want { // cached
			t.Errorf("cached Rebind(%q) = %q", c.in, got)
		}
	}
	if q := (&Dialect{}).Rebind(`a = ?`); q != `a = ?` {
		t.Errorf("question-mark dialect rewrote %q", q)
	}
}
