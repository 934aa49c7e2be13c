// Package awsproto holds the model-driven codecs for the AWS wire protocols idcenter speaks: awsJson1_1
// (sso-admin, identitystore, organizations), awsQuery with XML responses (iam, sts) and restJson1 (sso-oidc,
// the sso access-portal API).
//
// A generated Model (see tools/apigen) describes a service's operations and shapes. A Service binds a Model
// to typed handlers (Op) and serves HTTP requests: it resolves the operation, decodes the request into the
// generated input struct, validates it against the model with AWS's "N validation error(s) detected" wording,
// authorises it, calls the handler and encodes the output or error (Error) in the service's protocol.
//
// Authorisation asks the Service's Authorizer for the operation's action on the resource its handler
// names (WithResource; "*" without one). An operation AWS authorises on several resources (a policy and
// its target, an account and its parents) names them all with WithResources: each must be allowed, and
// the first denial answers (resources.go). The request's condition keys (aws:RequestTag/…, aws:TagKeys
// from the input's Tags or TagKeys, and the service keys a handler declares with WithKeys or AddKeys) reach
// the Authorizer in the context of that call (RequestKeys; keys.go); a key that costs a store read can be
// declared with AddLazyKey and is then computed only when the authoriser asks for it (LazyRequestKeys;
// lazykeys.go). A create whose request includes tags
// may need a tagging action too (RequireWhenTagged: iam:TagRole, organizations:TagResource, …), asked of
// the Authorizer after the operation's own action (refusals.go).
//
// Every AccessDenied answer is explained once in the server's log: the Authorizer's logger marks the
// request's refusal as logged (RefusalLogged), and Serve tells Service.Refused of any other — a refusal a
// handler or core decided after the authorisation point (refusals.go).
//
// The package depends only on the standard library.
package awsproto
