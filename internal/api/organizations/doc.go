// Package organizations is the wire adapter for the AWS Organizations API (botocore model "organizations", json protocol, API
// version 2016-11-28).
//
// zz_generated_types.go holds the generated input/output types (one struct per structure shape, field i
// = model member i) and zz_generated_model.go the generated service model (Model) that
// internal/api/awsproto uses to decode, validate and encode requests. Both are written by tools/apigen
// (go generate); do not edit them. The hand-written part of the package is the handler table that maps
// each modelled operation to the core, plus its error table.
//
// Every operation is authorised on the resource ARN(s) AWS's Service Authorization Reference lists for
// it (adapter_resources.go, ARNs from org.Service.ARNOf; several with awsproto.WithResources, each of
// which must be allowed), or on "*" when AWS lists none. Principals outside the management account are
// authorised on the same ARNs and must then pass the gate (org.Service.MayCall).
package organizations
