// Package browsertest drives Debian's headless Chromium (chromedp) for
// idcenter's end-to-end tests: a page that opens URLs, types into fields as a
// person does, clicks form buttons and saves a screenshot and the HTML when
// its test fails. It is test support, not part of the server.
package browsertest
