// Package browser holds the web access portal's browser tests: a real
// headless Chromium (Debian's chromium package, /usr/bin/chromium), driven
// with chromedp, against an in-process idcenter (internal/app) on a loopback
// port.
//
// The tests sign people in with a password and a TOTP code, register a TOTP
// device at first sign-in, approve and deny sso-oidc device codes started with
// the real ssooidc SDK client, read the accounts page and its command line
// access panel, and use the sign-in form with the keyboard only.
//
// Without /usr/bin/chromium the tests skip, unless CI is set: then they fail.
// scripts/install-test-deps.sh installs the package. Nothing is downloaded at
// test time. When a test fails, a screenshot and the HTML of the page it was
// on are written to a new folder under $TMPDIR, whose path the test logs.
package browser
