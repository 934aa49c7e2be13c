package store

// IAMRepo holds IAM records of every account: users, groups, roles, managed
// and inline policies, and their attachments. Its methods are added by the IAM
// work.
type IAMRepo interface{}
