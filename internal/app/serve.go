package app

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/idcenter/idcenter/internal/config"
	"github.com/idcenter/idcenter/internal/proxy"
	"github.com/idcenter/idcenter/internal/tlsca"
)

// Run opens the server, listens on cfg.Listen and serves until ctx is done,
// then shuts down gracefully. Progress lines go to stdout, logs to stderr.
func Run(ctx context.Context, cfg config.Config, stdout, stderr io.Writer) error {
	log := newLogger(stderr, cfg.LogLevel)
	s, err := Open(ctx, cfg, log, Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("app: listen: %w", err)
	}
	listenHost, _, _ := net.SplitHostPort(ln.Addr().String())

	var ca *tlsca.CA
	if cfg.TLSAuto || cfg.Proxy {
		if ca, err = tlsca.LoadOrCreate(cfg.DataDir, time.Now, rand.Reader); err != nil {
			ln.Close()
			return fmt.Errorf("app: %w", err)
		}
	}
	handler := s.Handler
	var px *proxy.Handler
	if cfg.Proxy {
		px = &proxy.Handler{Next: s.Handler, TLS: ca.TLSConfig(listenHost), Intercept: tlsca.Allowed,
			Passthrough: cfg.ProxyPassthrough, Log: log}
		handler = px
		if cfg.ProxyPassthrough {
			log.Warn("--proxy-passthrough: CONNECT to hosts idcenter does not serve is let through untouched")
		}
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	switch {
	case cfg.TLSCert != "":
		scheme = "https"
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			ln.Close()
			return fmt.Errorf("app: load TLS certificate: %w", err)
		}
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	case cfg.TLSAuto:
		scheme = "https"
		srv.TLSConfig = ca.TLSConfig(listenHost)
	}

	s.SetBaseURL(scheme + "://" + ln.Addr().String())
	fmt.Fprintf(stdout, "idcenter %s\n", Version())
	fmt.Fprintf(stdout, "endpoint: %s://%s\n", scheme, ln.Addr().String())
	if cfg.PublicURL != "" {
		// Behind a reverse proxy: every URL handed out is built from this one.
		fmt.Fprintf(stdout, "public url: %s\n", cfg.BaseURL())
	}
	fmt.Fprintf(stdout, "instance: %s\n", s.World.Instance.ARN)
	fmt.Fprintf(stdout, "identity store: %s\n", s.World.Instance.IdentityStoreID)
	fmt.Fprintf(stdout, "credentials: %s (profile idcenter)\n", cfg.CredentialsPath())
	if ca != nil {
		fmt.Fprintf(stdout, "ca: %s\n", cfg.CAPath())
	}
	if cfg.Proxy {
		fmt.Fprintf(stdout, "proxy: HTTPS_PROXY=http://%s\n", ln.Addr().String())
	}
	fmt.Fprintln(stdout, "ready")

	errc := make(chan error, 1)
	go func() {
		if srv.TLSConfig != nil {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("app: serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutCtx)
	if px != nil {
		err = errors.Join(err, px.Shutdown(shutCtx))
	}
	if err != nil {
		return fmt.Errorf("app: shutdown: %w", err)
	}
	return nil
}
