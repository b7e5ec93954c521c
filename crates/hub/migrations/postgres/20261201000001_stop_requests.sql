-- A request to stop that reached the hub while the number was already opted out of the account:
-- a keyword or a plain request in a reply, a manual or API opt-out, an import row. Each was
-- dropped before, so an opt-in naming the earlier opt-out went through and silently undid a
-- request the contact had just made. Each is now kept with the opt-out in force when it came,
-- and an opt-in naming that opt-out is refused while a request stands after it.
CREATE TABLE stop_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opt_out_id BIGINT NOT NULL REFERENCES opt_outs (id),
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    phone TEXT COLLATE "C" NOT NULL,
    source TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT,
    message_id BIGINT REFERENCES messages (id),
    sender_phone TEXT COLLATE "C",
    created_at BIGINT NOT NULL,
    command_id TEXT
);
CREATE INDEX stop_requests_opt_out ON stop_requests (opt_out_id, id);
CREATE FUNCTION stop_requests_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'requests to stop are never changed or deleted';
END $$;
CREATE TRIGGER stop_requests_kept BEFORE UPDATE OR DELETE ON stop_requests
    FOR EACH STATEMENT EXECUTE FUNCTION stop_requests_kept();
CREATE TRIGGER stop_requests_no_truncate BEFORE TRUNCATE ON stop_requests
    FOR EACH STATEMENT EXECUTE FUNCTION stop_requests_kept();
