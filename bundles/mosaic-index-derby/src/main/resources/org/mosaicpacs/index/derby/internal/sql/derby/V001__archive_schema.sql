-- The archive index: patient, study, series, instance. Statements end with ';' at the end of a line.
-- *_norm columns hold the upper-case alphabetic name for case-insensitive matching; dates are
-- YYYYMMDD, times HHMMSS.FFFFFF (so that ranges compare as text); attrs is the level's data set,
-- Deflated Explicit VR Little Endian, without bulk data.
CREATE TABLE patient (
    pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pat_id VARCHAR(64) NOT NULL,
    pat_issuer VARCHAR(64) NOT NULL,
    pat_name_a VARCHAR(330),
    pat_name_i VARCHAR(330),
    pat_name_p VARCHAR(330),
    pat_name_norm VARCHAR(330),
    pat_birthdate VARCHAR(8),
    pat_sex VARCHAR(16),
    attrs BLOB(16M),
    CONSTRAINT patient_id_uk UNIQUE (pat_id, pat_issuer)
);
CREATE INDEX patient_name_ix ON patient (pat_name_a);
CREATE INDEX patient_name_norm_ix ON patient (pat_name_norm);
CREATE TABLE study (
    pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_fk BIGINT NOT NULL REFERENCES patient (pk),
    study_iuid VARCHAR(64) NOT NULL,
    study_date VARCHAR(8),
    study_time VARCHAR(13),
    accession_no VARCHAR(64),
    study_id VARCHAR(16),
    ref_phys_a VARCHAR(330),
    ref_phys_i VARCHAR(330),
    ref_phys_p VARCHAR(330),
    ref_phys_norm VARCHAR(330),
    study_desc VARCHAR(64),
    mods_in_study VARCHAR(1000) NOT NULL DEFAULT '',
    cuids_in_study VARCHAR(4000) NOT NULL DEFAULT '',
    num_series INT NOT NULL DEFAULT 0,
    num_instances INT NOT NULL DEFAULT 0,
    attrs BLOB(16M),
    CONSTRAINT study_iuid_uk UNIQUE (study_iuid)
);
CREATE INDEX study_date_ix ON study (study_date, study_time);
CREATE INDEX study_accession_ix ON study (accession_no);
CREATE TABLE series (
    pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    study_fk BIGINT NOT NULL REFERENCES study (pk),
    series_iuid VARCHAR(64) NOT NULL,
    modality VARCHAR(16),
    series_no INT,
    series_desc VARCHAR(64),
    body_part VARCHAR(16),
    pps_start_date VARCHAR(8),
    num_instances INT NOT NULL DEFAULT 0,
    attrs BLOB(16M),
    CONSTRAINT series_iuid_uk UNIQUE (series_iuid)
);
CREATE TABLE instance (
    pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_fk BIGINT NOT NULL REFERENCES series (pk),
    sop_iuid VARCHAR(64) NOT NULL,
    sop_cuid VARCHAR(64) NOT NULL,
    inst_no INT,
    tsuid VARCHAR(64) NOT NULL,
    storage_id VARCHAR(64) NOT NULL,
    storage_key VARCHAR(1024) NOT NULL,
    obj_size BIGINT NOT NULL,
    checksum VARCHAR(128) NOT NULL,
    received TIMESTAMP NOT NULL,
    attrs BLOB(16M),
    CONSTRAINT instance_iuid_uk UNIQUE (sop_iuid)
);
