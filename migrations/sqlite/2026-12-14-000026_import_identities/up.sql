-- What an import remembers: the id an object had in the exported tree (its identity) and the
-- object it became in this account, so that importing the same tree again changes nothing and
-- an export writes the identity back.
CREATE TABLE import_identities (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    -- 'folder', 'component', 'package', 'published_process' or 'publication'.
    kind TEXT NOT NULL,
    identity TEXT NOT NULL,
    local_id TEXT NOT NULL,
    PRIMARY KEY (account_id, kind, identity)
);
CREATE UNIQUE INDEX import_identities_local ON import_identities (account_id, kind, local_id);
