package proxy

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Handler answers CONNECT requests and passes every other request to Next.
type Handler struct {
	// Next serves direct requests and the requests inside intercepted tunnels.
	Next http.Handler
	// TLS terminates intercepted tunnels (certificates by SNI).
	TLS *tls.Config
	// Intercept reports whether a CONNECT target host (without port) is served by idcenter.
	Intercept func(host string) bool
	// Passthrough lets CONNECTs to other hosts through untouched (off by default).
	Passthrough bool
	Log         *slog.Logger
	// Dial opens passthrough connections; nil means a net.Dialer with a 10 s timeout.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)

	once  sync.Once
	inner *http.Server
	conns *connListener
}

func (h *Handler) start() {
	h.once.Do(func() {
		h.conns = &connListener{ch: make(chan net.Conn), done: make(chan struct{})}
		h.inner = &http.Server{
			Handler:           h.Next,
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          slog.NewLogLogger(h.Log.Handler(), slog.LevelWarn),
		}
		go func() { _ = h.inner.Serve(h.conns) }()
	})
}

// Shutdown stops serving intercepted tunnels, waiting for active requests
// like http.Server.Shutdown.
func (h *Handler) Shutdown(ctx context.Context) error {
	h.start()
	return h.inner.Shutdown(ctx)
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		h.Next.ServeHTTP(w, r)
		return
	}
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		http.Error(w, "CONNECT needs host:port", http.StatusBadRequest)
		return
	}
	switch {
	case port == "443" && h.Intercept(host):
		h.intercept(w, r)
	case h.Passthrough:
		h.passthrough(w, r)
	default:
		h.Log.Warn("proxy: refused CONNECT to a host idcenter does not serve", "target", r.Host, "remote", r.RemoteAddr)
		http.Error(w, "idcenter proxies only the AWS host names it serves", http.StatusForbidden)
	}
}

func (h *Handler) intercept(w http.ResponseWriter, r *http.Request) {
	h.start()
	conn, buf, ok := hijack(w)
	if !ok {
		return
	}
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		conn.Close()
		return
	}
	tlsConn := tls.Server(bufferedConn{Conn: conn, r: buf}, h.TLS)
	if !h.conns.push(tlsConn) {
		tlsConn.Close()
	}
}

func (h *Handler) passthrough(w http.ResponseWriter, r *http.Request) {
	dial := h.Dial
	if dial == nil {
		dial = (&net.Dialer{Timeout: 10 * time.Second}).DialContext
	}
	upstream, err := dial(r.Context(), "tcp", r.Host)
	if err != nil {
		http.Error(w, "cannot reach "+r.Host, http.StatusBadGateway)
		return
	}
	conn, buf, ok := hijack(w)
	if !ok {
		upstream.Close()
		return
	}
	h.Log.Info("proxy: passthrough CONNECT", "target", r.Host, "remote", r.RemoteAddr)
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		conn.Close()
		upstream.Close()
		return
	}
	go pipe(upstream, bufferedConn{Conn: conn, r: buf})
	pipe(conn, upstream)
}

// pipe copies src to dst, then closes both.
func pipe(dst io.WriteCloser, src io.ReadCloser) {
	_, _ = io.Copy(dst, src)
	dst.Close()
	src.Close()
}

func hijack(w http.ResponseWriter) (net.Conn, *bufio.Reader, bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "CONNECT is not supported on this connection", http.StatusInternalServerError)
		return nil, nil, false
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		return nil, nil, false
	}
	return conn, rw.Reader, true
}

// bufferedConn reads what the HTTP server had already buffered before the raw connection.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c bufferedConn) Read(p []byte) (int, error) {
	if c.r != nil && c.r.Buffered() > 0 {
		return c.r.Read(p)
	}
	return c.Conn.Read(p)
}

// connListener hands intercepted tunnels to the inner http.Server.
type connListener struct {
	ch        chan net.Conn
	done      chan struct{}
	closeOnce sync.Once
}

func (l *connListener) push(c net.Conn) bool {
	select {
	case l.ch <- c:
		return true
	case <-l.done:
		return false
	}
}

func (l *connListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *connListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return nil
}

func (l *connListener) Addr() net.Addr { return tunnelAddr{} }

type tunnelAddr struct{}

func (tunnelAddr) Network() string { return "tunnel" }
func (tunnelAddr) String() string  { return "idcenter-proxy" }
