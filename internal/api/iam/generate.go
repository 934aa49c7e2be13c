package iam

//go:generate go run ../../../tools/apigen -service iam
