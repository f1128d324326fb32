-- Returnee skills training (返区人员职业技能培训, task 2.4.4).
--
-- A class (高素质农民培训, 职业技能培训 or 其他) is organised by a unit of 2.4.4
-- (`organiser`), with a title and a period; its trainees are residents of the out-migrant
-- registry, each with a certificate obtained or not and the certificate's name (optional).
-- Trainees count toward 2.4.4 (人次) for the organiser on `ends_on`.
CREATE TABLE skills_classes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    organiser TEXT NOT NULL REFERENCES units (code),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX skills_classes_organiser ON skills_classes (organiser, ends_on);

CREATE TABLE skills_trainees (
    class_id BIGINT NOT NULL REFERENCES skills_classes (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    certified BOOLEAN NOT NULL,
    certificate TEXT NOT NULL,
    PRIMARY KEY (class_id, person_id)
);
