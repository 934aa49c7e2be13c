-- PostgreSQL version of internal/store/sqlite/migrations/0016_org_handshakes.sql.
-- 0016_org_handshakes: Organizations handshakes (invitations, enabling all
-- features, responsibility transfers), the organization's resource policy,
-- responsibility transfers, accounts that left the organization and account
-- closures (for the closure quota).

CREATE TABLE org_handshakes (
    id           TEXT COLLATE "C" PRIMARY KEY,
    action       TEXT COLLATE "C" NOT NULL,
    state        TEXT COLLATE "C" NOT NULL,
    parent_id    TEXT COLLATE "C" NOT NULL,
    requested_at BIGINT,
    expires_at   BIGINT,
    body         TEXT COLLATE "C" NOT NULL -- JSON: ARN, parties and resources
);

CREATE TABLE org_resource_policy (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    id        TEXT COLLATE "C" NOT NULL,
    arn       TEXT COLLATE "C" NOT NULL,
    content   TEXT COLLATE "C" NOT NULL
);

CREATE TABLE org_transfers (
    id           TEXT COLLATE "C" PRIMARY KEY,
    status       TEXT COLLATE "C" NOT NULL,
    handshake_id TEXT COLLATE "C" NOT NULL,
    body         TEXT COLLATE "C" NOT NULL -- JSON: ARN, name, type, participants, times
);

-- Accounts removed from (or that left) the organization: standalone accounts
-- idcenter still knows, so that an invitation can bring them back.
CREATE TABLE org_former_accounts (
    id            TEXT COLLATE "C" PRIMARY KEY,
    arn           TEXT COLLATE "C" NOT NULL,
    name          TEXT COLLATE "C" NOT NULL,
    email         TEXT COLLATE "C" NOT NULL,
    joined_method TEXT COLLATE "C" NOT NULL,
    left_at       BIGINT
);

CREATE TABLE org_account_closures (
    account_id TEXT COLLATE "C" PRIMARY KEY,
    closed_at  BIGINT NOT NULL
);
