// Package federation is the identity source setting of an Identity Center
// instance and idcenter's side of SAML 2.0 sign-in with an external identity
// provider (Okta, Microsoft Entra ID, any SAML 2.0 IdP).
//
// The identity source is the identity store (the default: passwords and MFA
// of internal/core/signin) or an external IdP given by its SAML metadata.
// With an external IdP, idcenter is the service provider, built on
// github.com/crewjam/saml's ServiceProvider (no hand-written XML signature
// code): its metadata (entity id <base>/saml/metadata, the HTTP-POST
// assertion consumer service <base>/saml/acs) is generated from a key pair
// made when the source is first set and kept in the store. An SP-initiated
// sign-in stores the AuthnRequest's id under the SHA-256 of a random
// RelayState together with the local page to return to; the response must
// answer that request (InResponseTo) unless IdP-initiated sign-in is
// allowed. Responses are verified by the library — signature by a key of
// the IdP's metadata, destination, issuer, audience (the SP's entity id),
// NotBefore/NotOnOrAfter and SubjectConfirmation times on the injected
// clock — and each assertion id is accepted once (replay cache in the
// store, so replicas share it). The NameID must equal an identity store
// UserName; the web layer then starts a portal session with
// signin.Service.BeginExternal, which refuses unknown and disabled users.
//
// AuthnRequests are signed with the SP key when the IdP's metadata wants
// them signed (WantAuthnRequestsSigned); logout messages always are.
// Metadata set from an http(s) URL is refreshed (refresh.go): when due
// (24 hours, or the metadata's cacheDuration, or an hour before its
// validUntil) at the next sign-in, and when a response does not verify —
// at most once a minute — in case the IdP rolled its key over; a failed
// fetch keeps the old metadata. Single logout (slo.go): StartLogout sends a
// signed LogoutRequest to the IdP's HTTP-Redirect single logout service
// (its id kept under a random RelayState, like a pending sign-in) and
// HandleSLO checks the IdP's LogoutResponse against it, or an IdP's
// LogoutRequest, which ends every portal session of the users it names and
// is answered with a signed LogoutResponse. Each sign-in keeps the IdP's
// subject of the user (NameID, format, SessionIndex; store.SAMLSubject),
// so logout messages name users as the IdP does even when the user name
// comes from an attribute (ExternalSAML.UserNameAttribute).
//
// The package knows no net/http handler and no SQL: the web layer
// (internal/web) serves the URLs and the store keeps the state.
package federation
