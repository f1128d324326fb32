-- Blind indexes keep the first 128 bits of their HMAC-SM3 (32 hex characters), not all 256:
-- no collision is within reach, and every index on them is half the size.
UPDATE employers SET contact_phone_index = substr(contact_phone_index, 1, 32);
UPDATE applicants SET phone_index = substr(phone_index, 1, 32);
UPDATE persons SET id_number_index = substr(id_number_index, 1, 32),
    phone_index = substr(phone_index, 1, 32);
