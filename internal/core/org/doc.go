// Package org is the AWS Organizations domain: the organization and its life
// (create, delete, all features), its root and organizational units,
// accounts (created asynchronously with an OrganizationAccountAccessRole,
// removed, leaving, closed), handshakes (invitations, enabling all features,
// responsibility transfers) with their expiry on the injected clock,
// policies (SCPs and the other types) and their attachments, effective
// management policies (inheritance operators along root → OUs → account),
// the resource policy, tags, trusted service access and delegated
// administrators. SCPs are stored and exposed here; SCPsForAccount gives the
// policy engine the documents along an account's path and CheckAccountOpen
// refuses the principals of closed accounts.
//
// Who may call is checked here with the caller's account (the management
// account for most operations; recipients for handshakes they received;
// members for their own effective policies), beyond the IAM authorisation.
package org
