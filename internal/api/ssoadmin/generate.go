package ssoadmin

//go:generate go run ../../../tools/apigen -service ssoadmin
