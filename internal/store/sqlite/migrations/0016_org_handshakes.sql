-- 0016_org_handshakes: Organizations handshakes (invitations, enabling all
-- features, responsibility transfers), the organization's resource policy,
-- responsibility transfers, accounts that left the organization and account
-- closures (for the closure quota). Same portable SQL as 0001.

CREATE TABLE org_handshakes (
    id           TEXT PRIMARY KEY,
    action       TEXT NOT NULL,
    state        TEXT NOT NULL,
    parent_id    TEXT NOT NULL,
    requested_at BIGINT,
    expires_at   BIGINT,
    body         TEXT NOT NULL -- JSON: ARN, parties and resources
);

CREATE TABLE org_resource_policy (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    id        TEXT NOT NULL,
    arn       TEXT NOT NULL,
    content   TEXT NOT NULL
);

CREATE TABLE org_transfers (
    id           TEXT PRIMARY KEY,
    status       TEXT NOT NULL,
    handshake_id TEXT NOT NULL,
    body         TEXT NOT NULL -- JSON: ARN, name, type, participants, times
);

-- Accounts removed from (or that left) the organization: standalone accounts
-- idcenter still knows, so that an invitation can bring them back.
CREATE TABLE org_former_accounts (
    id            TEXT PRIMARY KEY,
    arn           TEXT NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    joined_method TEXT NOT NULL,
    left_at       BIGINT
);

CREATE TABLE org_account_closures (
    account_id TEXT PRIMARY KEY,
    closed_at  BIGINT NOT NULL
);
