-- Returnee services (issue 5): start-up lectures and Malanhua classes with their attendees
-- (tasks 2.2.1 and 2.2.2), and the five-ones service per returnee per festival (2.1.4).

CREATE TABLE trainings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    organiser TEXT NOT NULL REFERENCES units (code),
    place TEXT NOT NULL,
    speaker TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX trainings_held ON trainings (held_on);

CREATE TABLE training_attendees (
    training_id BIGINT NOT NULL REFERENCES trainings (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (training_id, person_id)
);

CREATE TABLE five_ones (
    person_id BIGINT NOT NULL REFERENCES persons (id),
    year BIGINT NOT NULL,
    festival TEXT NOT NULL,
    letter BOOLEAN NOT NULL,
    talk BOOLEAN NOT NULL,
    park_visit BOOLEAN NOT NULL,
    policy_list BOOLEAN NOT NULL,
    gift BOOLEAN NOT NULL,
    served_on TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units (code),
    user_id BIGINT NOT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (person_id, year, festival)
);
