// Package proxy lets idcenter's listener act as an HTTPS proxy for the AWS
// host names it serves: a CONNECT to one of them (port 443) is answered by
// idcenter itself, which terminates TLS with a leaf from its own CA and serves
// the tunnelled requests exactly as direct ones. A CONNECT to any other host is
// refused with 403 and logged — idcenter is not an open proxy — unless
// passthrough is explicitly enabled.
package proxy
