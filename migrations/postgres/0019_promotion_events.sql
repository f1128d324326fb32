-- Returnee promotion events (issue 13, task 2.5.1): where an event is held, the people it
-- invites from the out-migrant registry with what was recorded after it, and people of the
-- neighbouring districts as promotion targets.

-- Held elsewhere (NULL: in the district), and whether that place is a coastal, economically
-- developed region (decided by core::events::venue when the event is recorded).
ALTER TABLE recruitment_events ADD COLUMN away_province TEXT;
ALTER TABLE recruitment_events ADD COLUMN away_city TEXT;
ALTER TABLE recruitment_events ADD COLUMN coastal BOOLEAN NOT NULL DEFAULT FALSE;

-- One row per person invited to an event; attended and outcome stay NULL until recorded after
-- the event (outcome: business, work, none — core::events::promotion::PromotionOutcome).
CREATE TABLE event_invitations (
    event_id BIGINT NOT NULL REFERENCES recruitment_events (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    invited_by BIGINT NOT NULL REFERENCES users (id),
    invited_at TIMESTAMPTZ NOT NULL,
    attended BOOLEAN,
    outcome TEXT,
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users (id),
    recorded_at TIMESTAMPTZ,
    PRIMARY KEY (event_id, person_id)
);
CREATE INDEX event_invitations_person ON event_invitations (person_id);

-- A person of a neighbouring district working elsewhere (将周边区域外出就业人员纳入推介对象):
-- the district their household is in; empty for the district's own residents. Their
-- persons.street_code is then the street responsible for them, which scopes them as usual.
ALTER TABLE migrants ADD COLUMN home_district TEXT NOT NULL DEFAULT '';
