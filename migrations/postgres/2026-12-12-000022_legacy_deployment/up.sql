-- The Legacy deployment model: an account publishes its processes and API services straight
-- from their latest revision. Each such publication freezes an implicit package, which the
-- Deploy page does not list and no one creates or deletes by hand.
ALTER TABLE accounts ADD COLUMN deployment_model TEXT NOT NULL DEFAULT 'packaged'
    CHECK (deployment_model IN ('packaged', 'legacy'));
ALTER TABLE packages ADD COLUMN implicit BOOLEAN NOT NULL DEFAULT FALSE;
