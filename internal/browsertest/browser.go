package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package puts the browser.
const ChromiumPath = "/usr/bin/chromium"

// StepTimeout bounds one browser action; a hang guard, not a measurement.
const StepTimeout = 30 * time.Second

var (
	once     sync.Once
	rootCtx  context.Context
	startErr error
	stop     = func() {}
)

// Require skips the test when Chromium is not installed, or fails it when CI
// is set (CI must run browser tests).
func Require(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing (%v): run scripts/install-test-deps.sh", ChromiumPath, err)
		}
		t.Skipf("%s is missing: run scripts/install-test-deps.sh to run the browser tests", ChromiumPath)
	}
}

// Stop ends the process's Chromium (call it from TestMain after m.Run).
func Stop() { stop() }

func start() (context.Context, error) {
	profile, err := os.MkdirTemp("", "idcenter-chromium-profile-")
	if err != nil {
		return nil, err
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 1024),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop = func() {
		cancel()
		allocCancel()
		_ = os.RemoveAll(profile)
	}
	// The first run starts the browser and must carry no timeout (that would
	// stop the browser): a timer guards it instead.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		err = errors.New("chromium did not start within 2 minutes")
	}
	if err != nil {
		stop()
		return nil, fmt.Errorf("start %s: %w", ChromiumPath, err)
	}
	return ctx, nil
}

// Page is one tab in its own browser context (own cookies), closed when the
// test ends.
type Page struct {
	t   testing.TB
	ctx context.Context
}

// NewTab opens a tab in its own browser context (own cookies) in the
// process's one Chromium, started on first use. The tab closes when the test
// ends; when the test failed, its page is saved first (a screenshot and the
// HTML in a new folder under $TMPDIR, whose path is logged).
func NewTab(t testing.TB) context.Context {
	t.Helper()
	Require(t)
	once.Do(func() { rootCtx, startErr = start() })
	if startErr != nil {
		t.Fatalf("browser: %v", startErr)
	}
	ctx, cancel := chromedp.NewContext(rootCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run opens the tab and ties it to its context: no timeout here.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	t.Cleanup(func() { saveOnFailure(ctx, t) }) // runs before cancel
	return ctx
}

// NewPage is NewTab with the Page helpers.
func NewPage(t testing.TB) *Page {
	t.Helper()
	return &Page{t: t, ctx: NewTab(t)}
}

func (p *Page) run(f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	return f(ctx)
}

// Open navigates to u and waits for the page.
func (p *Page) Open(u string) {
	p.t.Helper()
	if err := p.run(func(ctx context.Context) error { _, err := chromedp.Run(ctx, chromedp.NavigateResponse(u)); return err }); err != nil {
		p.t.Fatalf("open %s: %v", u, err)
	}
}

// Submit types each field (id → value, in the order given) as a person does
// and clicks the button labelled label in the form posting to formAction,
// then waits for the page it leads to.
func (p *Page) Submit(formAction, label string, fields ...[2]string) {
	p.t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for _, f := range fields {
		steps = append(steps, chromedp.WaitVisible(chromedp.ID(f[0])), chromedp.Focus(chromedp.ID(f[0])), chromedp.KeyEvent(f[1]))
	}
	xp := fmt.Sprintf(`//form[@action=%q]//button[normalize-space(.)=%q]`, formAction, label)
	steps = append(steps, chromedp.Click(chromedp.Search(xp), chromedp.NodeVisible))
	if err := p.run(func(ctx context.Context) error { _, err := chromedp.RunResponse(ctx, steps...); return err }); err != nil {
		p.t.Fatalf("%s %q: %v", formAction, label, err)
	}
}

// Text is the visible text of the first element matching the CSS selector.
func (p *Page) Text(sel string) string {
	p.t.Helper()
	var s string
	if err := p.run(func(ctx context.Context) error {
		var err error
		s, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
		return err
	}); err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// Location is the page's URL.
func (p *Page) Location() string {
	p.t.Helper()
	var loc string
	if err := p.run(func(ctx context.Context) error {
		var err error
		loc, err = chromedp.Run(ctx, chromedp.Location())
		return err
	}); err != nil {
		p.t.Fatalf("location: %v", err)
	}
	return loc
}

// saveOnFailure writes a screenshot and the HTML of the current page to a new
// folder under $TMPDIR and logs its path.
func saveOnFailure(tab context.Context, t testing.TB) {
	if !t.Failed() {
		return
	}
	name := regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "_")
	dir, err := os.MkdirTemp("", "idcenter-browser-"+name+"-")
	if err != nil {
		t.Logf("no folder for the screenshot: %v", err)
		return
	}
	var png []byte
	var html, loc string
	ctx, cancel := context.WithTimeout(tab, StepTimeout)
	defer cancel()
	err = func() error {
		var err error
		if png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil {
			return err
		}
		if loc, err = chromedp.Run(ctx, chromedp.Location()); err != nil {
			return err
		}
		html, err = chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.outerHTML"))
		return err
	}()
	if png != nil {
		_ = os.WriteFile(filepath.Join(dir, "screenshot.png"), png, 0o644)
	}
	if html != "" {
		_ = os.WriteFile(filepath.Join(dir, "page.html"), []byte("<!-- "+loc+" -->\n"+html), 0o644)
	}
	if err != nil {
		t.Logf("saving the page: %v", err)
	}
	t.Logf("the page at failure (%s) is saved in %s", loc, dir)
}

// Fill types each value into the element matching its CSS selector and
// clicks the element matching button, without waiting for a page: for forms
// whose answer leads on by itself (an IdP's auto-posting SAML form). Use
// WaitLocation after it.
func (p *Page) Fill(button string, fields ...[2]string) {
	p.t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for _, f := range fields {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(f[0]), f[1]))
	}
	steps = append(steps, chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible))
	if err := p.run(func(ctx context.Context) error { return chromedp.Do(ctx, steps...) }); err != nil {
		p.t.Fatalf("fill and click %s: %v", button, err)
	}
}

// WaitLocation waits (up to StepTimeout) until the page's URL contains part
// and the page has loaded, and returns the URL.
func (p *Page) WaitLocation(part string) string {
	p.t.Helper()
	deadline := time.Now().Add(StepTimeout)
	for {
		loc := p.Location()
		if strings.Contains(loc, part) {
			var ready string
			_ = p.run(func(ctx context.Context) error {
				var err error
				ready, err = chromedp.Run(ctx, chromedp.Evaluate[string]("document.readyState"))
				return err
			})
			if ready == "complete" {
				return loc
			}
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the browser is at %s, not at a URL with %q, after %v:\n%s", loc, part, StepTimeout, p.Text("body"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
