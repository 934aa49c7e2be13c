// Package config holds idcenter's runtime settings: defaults, IDCENTER_*
// environment variables and command-line flags (flags win over environment,
// environment over defaults).
package config
