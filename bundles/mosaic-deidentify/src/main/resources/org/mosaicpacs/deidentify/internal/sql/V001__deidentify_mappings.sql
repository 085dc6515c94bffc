-- The mapping store of mosaic-deidentify: what each project replaced, for re-identification by an admin.
-- One secret per project (used when its profile configures none).
CREATE TABLE deid_project (
    project VARCHAR(64) NOT NULL PRIMARY KEY,
    secret VARCHAR(128) NOT NULL,
    created TIMESTAMP NOT NULL
);
-- Original patient (Issuer|Patient ID, or Name|Birth Date) -> pseudonymous Patient ID and date offset.
CREATE TABLE deid_patient (
    project VARCHAR(64) NOT NULL,
    original VARCHAR(1024) NOT NULL,
    pseudonym VARCHAR(64) NOT NULL,
    date_offset INTEGER NOT NULL,
    created TIMESTAMP NOT NULL,
    PRIMARY KEY (project, original)
);
CREATE INDEX deid_patient_pseudonym ON deid_patient (project, pseudonym);
-- Original UID -> new UID.
CREATE TABLE deid_uid (
    project VARCHAR(64) NOT NULL,
    original VARCHAR(64) NOT NULL,
    replacement VARCHAR(64) NOT NULL,
    created TIMESTAMP NOT NULL,
    PRIMARY KEY (project, original)
);
CREATE INDEX deid_uid_replacement ON deid_uid (project, replacement);
