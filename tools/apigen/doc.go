// Command apigen reads the botocore service models in tools/apigen/models and writes, per service, the Go
// types (zz_generated_types.go) and the shape table (zz_generated_model.go) into internal/api/<pkg>.
//
// Usage:
//
//	go run ./tools/apigen                 # all services
//	go run ./tools/apigen -service iam    # one service (package name or model name)
package main
