// Package org is the AWS Organizations domain: the organization, its accounts
// (and, later, OUs, SCPs and delegated administrators).
package org
