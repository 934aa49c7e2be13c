package identitystore

//go:generate go run ../../../tools/apigen -service identitystore
