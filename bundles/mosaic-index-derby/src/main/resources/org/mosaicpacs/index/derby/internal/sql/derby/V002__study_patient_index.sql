-- The studies of a patient, by date: a study-level query that starts from the patient (a Patient ID, a
-- Patient Name prefix) reaches that patient's studies and tests Study Date and Time inside this index,
-- without fetching the study rows that do not match. (The foreign key's own index has patient_fk alone.)
CREATE INDEX study_patient_ix ON study (patient_fk, study_date, study_time);
