-- Sealed ID and phone numbers are stored as bytes, not hex text: a scheme byte (1 = SM4-GCM),
-- the 12-byte nonce, the ciphertext and its tag; blind indexes as their 16 bytes. Half the
-- size, and half the size of the unique index on residents' IDs. The columns keep their
-- declared TEXT: SQLite stores a BLOB as given whatever the declared type, and rebuilding
-- `persons`, which other tables refer to, is not worth a name.
UPDATE employers SET contact_phone_enc = unhex('01' || substr(contact_phone_enc, 9)),
    contact_phone_index = unhex(contact_phone_index);
UPDATE job_posts SET contact_phone_enc = unhex('01' || substr(contact_phone_enc, 9));
UPDATE applicants SET phone_enc = unhex('01' || substr(phone_enc, 9)),
    phone_index = unhex(phone_index);
UPDATE persons SET id_number_enc = unhex('01' || substr(id_number_enc, 9)),
    id_number_index = unhex(id_number_index),
    phone_enc = unhex('01' || substr(phone_enc, 9)),
    phone_index = unhex(phone_index);
