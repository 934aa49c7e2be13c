package sts

//go:generate go run ../../../tools/apigen -service sts
