// Package org is the AWS Organizations domain: the organization, its root and
// organizational units, accounts (created asynchronously with an
// OrganizationAccountAccessRole), policies (SCPs and the other types) and
// their attachments, tags, trusted service access and delegated
// administrators. SCPs are stored and exposed here; SCPsForAccount gives the
// policy engine the documents along an account's path.
package org
