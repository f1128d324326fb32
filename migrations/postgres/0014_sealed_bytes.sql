-- Sealed ID and phone numbers are stored as bytes, not hex text: a scheme byte (1 = SM4-GCM),
-- the 12-byte nonce, the ciphertext and its tag; blind indexes as their 16 bytes. Half the
-- size, and half the size of the unique index on residents' IDs.
ALTER TABLE employers
    ALTER COLUMN contact_phone_enc TYPE BYTEA USING decode('01' || substr(contact_phone_enc, 9), 'hex'),
    ALTER COLUMN contact_phone_index TYPE BYTEA USING decode(contact_phone_index, 'hex');
ALTER TABLE job_posts
    ALTER COLUMN contact_phone_enc TYPE BYTEA USING decode('01' || substr(contact_phone_enc, 9), 'hex');
ALTER TABLE applicants
    ALTER COLUMN phone_enc TYPE BYTEA USING decode('01' || substr(phone_enc, 9), 'hex'),
    ALTER COLUMN phone_index TYPE BYTEA USING decode(phone_index, 'hex');
ALTER TABLE persons
    ALTER COLUMN id_number_enc TYPE BYTEA USING decode('01' || substr(id_number_enc, 9), 'hex'),
    ALTER COLUMN id_number_index TYPE BYTEA USING decode(id_number_index, 'hex'),
    ALTER COLUMN phone_enc TYPE BYTEA USING decode('01' || substr(phone_enc, 9), 'hex'),
    ALTER COLUMN phone_index TYPE BYTEA USING decode(phone_index, 'hex');
