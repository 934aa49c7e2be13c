// Package router is the front door of the listener: it reads the body once,
// picks the AWS service a request is for (X-Amz-Target prefix, rest-json path,
// query Action with the SigV4 scope's service or the Host name), authenticates
// it with SigV4 unless the operation is modelled as unauthenticated, and hands
// it to that service's model-driven codec. It also adapts the core authoriser to
// the codecs' Authorizer interface, so every operation passes one authorisation
// point.
package router
