-- 学子东西湖行 (task 1.3.3): a visit organised by a unit of 1.3.3 (`organiser`), 区文旅局
-- recorded as assisting (`assisted`), its itinerary of stops and its students. A student is
-- `student_key` (name + school + major, normalised by core); 1.3.3.students counts the distinct
-- keys per organiser and year, each on the day of its first visit (`visit_year` keeps the year
-- so that the count needs no date function). A key is on a visit once.
CREATE TABLE student_visits (
    id BIGSERIAL PRIMARY KEY,
    organiser TEXT NOT NULL REFERENCES units (code),
    title TEXT NOT NULL,
    visited_on DATE NOT NULL,
    visit_year BIGINT NOT NULL,
    assisted BOOLEAN NOT NULL,
    note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX student_visits_unit_day ON student_visits (organiser, visited_on);

CREATE TABLE student_visit_stops (
    id BIGSERIAL PRIMARY KEY,
    visit_id BIGINT NOT NULL REFERENCES student_visits (id),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    place TEXT NOT NULL
);
CREATE INDEX student_visit_stops_visit ON student_visit_stops (visit_id, position);

CREATE TABLE student_visit_students (
    id BIGSERIAL PRIMARY KEY,
    visit_id BIGINT NOT NULL REFERENCES student_visits (id),
    name TEXT NOT NULL,
    school TEXT NOT NULL,
    major TEXT NOT NULL,
    grade TEXT NOT NULL,
    student_key TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (visit_id, student_key)
);
CREATE INDEX student_visit_students_key ON student_visit_students (student_key);

-- 揽才团 (task 1.1.3): a trip organised by a unit of 1.1.3 (`organiser`, usually 区人社局),
-- with its participating units, the university fairs attended, the district's employers in the
-- delegation (posts offered, CVs received) and the hires traced back to it. 1.1.3.trips counts a
-- trip for its organiser on `departed_on`; 1.1.3.hires a hire for the trip's organiser on
-- `hired_on`. A hire's person is named (shown masked); it may link the job application.
CREATE TABLE talent_trips (
    id BIGSERIAL PRIMARY KEY,
    organiser TEXT NOT NULL REFERENCES units (code),
    destination TEXT NOT NULL,
    departed_on DATE NOT NULL,
    returned_on DATE NOT NULL,
    note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    CHECK (returned_on >= departed_on)
);
CREATE INDEX talent_trips_unit_day ON talent_trips (organiser, departed_on);

CREATE TABLE talent_trip_partners (
    trip_id BIGINT NOT NULL REFERENCES talent_trips (id),
    unit_code TEXT NOT NULL REFERENCES units (code),
    PRIMARY KEY (trip_id, unit_code)
);
CREATE INDEX talent_trip_partners_unit ON talent_trip_partners (unit_code);

CREATE TABLE talent_trip_fairs (
    id BIGSERIAL PRIMARY KEY,
    trip_id BIGINT NOT NULL REFERENCES talent_trips (id),
    school TEXT NOT NULL,
    held_on DATE NOT NULL
);
CREATE INDEX talent_trip_fairs_trip ON talent_trip_fairs (trip_id);

CREATE TABLE talent_trip_employers (
    id BIGSERIAL PRIMARY KEY,
    trip_id BIGINT NOT NULL REFERENCES talent_trips (id),
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    posts BIGINT NOT NULL CHECK (posts > 0),
    cvs BIGINT NOT NULL CHECK (cvs >= 0),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (trip_id, employer_id)
);

CREATE TABLE talent_trip_hires (
    id BIGSERIAL PRIMARY KEY,
    trip_id BIGINT NOT NULL REFERENCES talent_trips (id),
    employer_id BIGINT NOT NULL REFERENCES employers (id),
    person_name TEXT NOT NULL,
    hired_on DATE NOT NULL,
    application_id BIGINT REFERENCES applications (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX talent_trip_hires_trip ON talent_trip_hires (trip_id);
CREATE INDEX talent_trip_hires_day ON talent_trip_hires (hired_on);
