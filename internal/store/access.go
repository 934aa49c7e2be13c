package store

// AccessRepo holds IAM Identity Center administration records: permission
// sets and their policies and tags (and, later, account assignments and
// provisioning requests). Its methods are added by the sso-admin work.
type AccessRepo interface{}
