package organizations

//go:generate go run ../../../tools/apigen -service organizations
