-- spec-kitty-events 0001: events kept verbatim, and each mission's projection.
-- Applied by `spec-kitty-events db migrate` (src/store/postgres/schema.rs).

CREATE TABLE spec_kitty_events.events (
    -- The event's id exactly as written (a ULID), compared byte by byte:
    -- the same id as the reducers see it.
    event_id        text COLLATE "C" PRIMARY KEY,
    project_uuid    uuid   NOT NULL,
    aggregate_id    text   COLLATE "C" NOT NULL,
    correlation_id  text   COLLATE "C" NOT NULL,
    event_type      text   NOT NULL,
    node_id         text   COLLATE "C" NOT NULL,
    lamport_clock   bigint NOT NULL CHECK (lamport_clock >= 0),
    -- The event's timestamp as an instant: microseconds since the Unix
    -- epoch, the precision and the order the reducers use.
    occurred_at_us  bigint NOT NULL,
    data_tier       smallint NOT NULL CHECK (data_tier BETWEEN 0 AND 4),
    -- The event's JSON text exactly as it arrived (not jsonb, which would
    -- reorder keys and respell numbers).
    body            text   NOT NULL
);

-- A mission's events in canonical order: (lamport_clock, timestamp, event_id).
CREATE INDEX events_mission_order
    ON spec_kitty_events.events (project_uuid, aggregate_id, lamport_clock, occurred_at_us, event_id);

-- One row per mission: its ReducedMissionState, kept current by every ingest
-- in the same transaction. `event_count` is how many distinct events the
-- projection folded: events are never deleted, so a count equal to what a
-- writer folded means the writer's in-memory projector is current.
CREATE TABLE spec_kitty_events.missions (
    project_uuid    uuid   NOT NULL,
    aggregate_id    text   COLLATE "C" NOT NULL,
    event_count     bigint NOT NULL DEFAULT 0,
    state           json,
    PRIMARY KEY (project_uuid, aggregate_id)
);
