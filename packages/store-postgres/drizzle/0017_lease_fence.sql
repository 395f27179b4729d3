-- lease_fence(n): n, or SQLSTATE ZL001 when n = 0 (the statement's lease row was not found). A
-- fenced statement that raises aborts its transaction, so a COMMIT sent behind it rolls back.
CREATE FUNCTION "zart"."lease_fence"(fenced integer) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  IF fenced = 0 THEN
    RAISE EXCEPTION 'the lease is no longer held' USING ERRCODE = 'ZL001';
  END IF;
  RETURN fenced;
END
$$;
