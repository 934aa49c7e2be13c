// Command idcenter is the idcenter binary: `idcenter serve` runs every
// service on one listener; `idcenter version` prints the version. It only
// parses the command line and hands over to internal/app.
package main
