// Command bare is the baseline of bench/load.sh: a bare net/http server that answers every
// request with the same canned sts:GetCallerIdentity XML bytes, doing no parsing, no signature
// check and no storage. idcenter's throughput is reported relative to it.
//
//	bare --listen 127.0.0.1:0
//
// prints "endpoint: http://ADDR" and then "ready" on stdout.
package main
