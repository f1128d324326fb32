-- Sealed ID and phone numbers are stored as bytes, not hex text: a scheme byte (1 = SM4-GCM),
-- the 12-byte nonce, the ciphertext and its tag; blind indexes as their 16 bytes. Half the
-- size, and half the size of the unique index on residents' IDs. The columns keep their
-- declared TEXT: SQLite stores a BLOB as given whatever the declared type, and rebuilding
-- `persons`, which other tables refer to, is not worth a name.

-- Every stored value must convert: `unhex` gives NULL for what is not hex, which a nullable
-- phone column would keep silently; here it breaks NOT NULL and stops the migration instead.
CREATE TEMP TABLE sealed_check (value BLOB NOT NULL);
INSERT INTO sealed_check SELECT CASE WHEN substr(contact_phone_enc, 1, 8) = 'sm4gcm1:'
    THEN unhex(substr(contact_phone_enc, 9)) END FROM employers;
INSERT INTO sealed_check SELECT unhex(contact_phone_index) FROM employers;
INSERT INTO sealed_check SELECT CASE WHEN substr(contact_phone_enc, 1, 8) = 'sm4gcm1:'
    THEN unhex(substr(contact_phone_enc, 9)) END FROM job_posts;
INSERT INTO sealed_check SELECT CASE WHEN substr(phone_enc, 1, 8) = 'sm4gcm1:'
    THEN unhex(substr(phone_enc, 9)) END FROM applicants;
INSERT INTO sealed_check SELECT unhex(phone_index) FROM applicants;
INSERT INTO sealed_check SELECT CASE WHEN substr(id_number_enc, 1, 8) = 'sm4gcm1:'
    THEN unhex(substr(id_number_enc, 9)) END FROM persons;
INSERT INTO sealed_check SELECT unhex(id_number_index) FROM persons;
INSERT INTO sealed_check SELECT CASE WHEN substr(phone_enc, 1, 8) = 'sm4gcm1:'
    THEN unhex(substr(phone_enc, 9)) END FROM persons WHERE phone_enc IS NOT NULL;
INSERT INTO sealed_check SELECT unhex(phone_index) FROM persons WHERE phone_index IS NOT NULL;
DROP TABLE sealed_check;

UPDATE employers SET contact_phone_enc = unhex('01' || substr(contact_phone_enc, 9)),
    contact_phone_index = unhex(contact_phone_index);
UPDATE job_posts SET contact_phone_enc = unhex('01' || substr(contact_phone_enc, 9));
UPDATE applicants SET phone_enc = unhex('01' || substr(phone_enc, 9)),
    phone_index = unhex(phone_index);
UPDATE persons SET id_number_enc = unhex('01' || substr(id_number_enc, 9)),
    id_number_index = unhex(id_number_index),
    phone_enc = unhex('01' || substr(phone_enc, 9)),
    phone_index = unhex(phone_index);
