package ssoportal

//go:generate go run ../../../tools/apigen -service ssoportal
