package ssooidc

//go:generate go run ../../../tools/apigen -service ssooidc
