// Package tlsca is idcenter's own certificate authority. On first use it
// creates a CA key (kept in the data folder, mode 0600, never served) and
// writes its certificate to <data>/ca.pem; it then issues, on demand and
// cached, leaf certificates for the AWS host names idcenter serves and for the
// listen address, so that tools which only know AWS's host names can talk to
// idcenter over TLS when they trust ca.pem.
package tlsca
