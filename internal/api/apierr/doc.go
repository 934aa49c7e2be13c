// Package apierr turns the core's typed faults into a service's modelled
// protocol errors. Each adapter declares one Table (fault kind → error code);
// the HTTP status and which extra members (ResourceType, ResourceId, Reason)
// are sent come from that error shape in the service model.
package apierr
