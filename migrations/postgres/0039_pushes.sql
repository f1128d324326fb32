-- Job pushes and the notification outbox (岗位推送, issue 16 items 3–5).
--
-- A push puts one open post before one person on purpose: a graduate of the roster or a
-- returnee (`person_id`, found on the portal through the phone's blind index) pushed by a street
-- officer, or an applicant who consented to be found (`applicant_id`) invited by an employer.
-- `channel` says where it was made (push_list, service_page, returnee_page, invitation);
-- `reasons` are the matching reasons shown to the person. A person is pushed one post once.
-- `viewed_at` is set when the person first opens the post on the portal, `application_id` when
-- they apply to it; the hire is the application's. The conversion page counts these.
--
-- Each push writes its messages to `notifications`: one portal message, and one SMS when the
-- person's phone is known (sent by the SMS gateway, which reads the number from the person's
-- or applicant's sealed phone at send time: no phone is copied for a push). Applicants consent to be found by
-- employers with `findable_since` (NULL: not findable).
CREATE TABLE job_pushes (
    id BIGSERIAL PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES job_posts (id),
    person_kind TEXT NOT NULL,
    person_ref BIGINT NOT NULL,
    person_id BIGINT REFERENCES persons (id),
    applicant_id BIGINT REFERENCES applicants (id),
    street_code TEXT NOT NULL REFERENCES units (code),
    channel TEXT NOT NULL,
    reasons TEXT NOT NULL,
    pushed_by BIGINT NOT NULL REFERENCES users (id),
    pushed_at TIMESTAMPTZ NOT NULL,
    viewed_at TIMESTAMPTZ,
    application_id BIGINT REFERENCES applications (id),
    UNIQUE (post_id, person_kind, person_ref)
);
CREATE INDEX job_pushes_person ON job_pushes (person_id);
CREATE INDEX job_pushes_applicant ON job_pushes (applicant_id);
CREATE INDEX job_pushes_street ON job_pushes (street_code, pushed_at);

-- The outbox of 0028 (portal messages and SMS of the 免申即享 scan) carries the pushes' messages
-- too: to an applicant as well as a person, with a title and a link, read on the portal, and
-- each SMS attempt counted with the gateway's last error.
ALTER TABLE notifications ADD COLUMN applicant_id BIGINT REFERENCES applicants (id);
ALTER TABLE notifications ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN link TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN push_id BIGINT REFERENCES job_pushes (id);
ALTER TABLE notifications ADD COLUMN read_at TIMESTAMPTZ;
ALTER TABLE notifications ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
CREATE INDEX notifications_person ON notifications (person_id);
CREATE INDEX notifications_applicant ON notifications (applicant_id);
CREATE INDEX notifications_pending ON notifications (channel, sent_at);

ALTER TABLE applicants ADD COLUMN findable_since TIMESTAMPTZ;
