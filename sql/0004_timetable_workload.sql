-- Xuequ 0004: weekly timetable slots of cross-school work, the §4 rules checked set-based (one
-- check for a whole import or a single proposal), and the workload of domain.md §6/§9 for every
-- teacher at once.
--
-- The rules of 0003 ran once per row through assignment_violations(); an import of 20,000
-- assignments paid 20,000 calls. Here one function, assignment_breaks(), takes every candidate at
-- once: the importer calls it on the staged file (errors by line), and statement-level triggers
-- call it on the rows a statement wrote (errors by assignment number), so no client can store a
-- broken assignment. slot_breaks() does the same for timetable slots.

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------

-- The school year (Sept 1 – Aug 31) a date falls in, by its starting calendar year.
CREATE FUNCTION school_year_of(d date) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN extract(month FROM d) >= 9 THEN extract(year FROM d) ELSE extract(year FROM d) - 1 END::integer
$$;

-- A value from the policy in force (newest version) for a district and school year, or NULL.
CREATE FUNCTION policy_value(p_district integer, p_school_year integer, p_path text[]) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT body #> p_path FROM policy_document
    WHERE district_id = p_district AND school_year = p_school_year ORDER BY version DESC LIMIT 1
$$;

-- Great-circle distance in km (haversine, R = 6371.0 km, domain.md §9).
CREATE FUNCTION haversine_km(lat1 numeric, lon1 numeric, lat2 numeric, lon2 numeric) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 2 * 6371.0 * asin(sqrt(
        sin(radians(lat2::float8 - lat1::float8) / 2) ^ 2
        + cos(radians(lat1::float8)) * cos(radians(lat2::float8)) * sin(radians(lon2::float8 - lon1::float8) / 2) ^ 2))
$$;

-- Minutes a teacher needs between two places: ceil(km / speed × 60) + buffer (domain.md §4). The
-- 1e-9 keeps floating-point noise from turning a whole number of minutes into the next one.
CREATE FUNCTION travel_minutes_between(lat1 numeric, lon1 numeric, lat2 numeric, lon2 numeric, kmh numeric, buffer_minutes integer)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ceil(haversine_km(lat1, lon1, lat2, lon2) / kmh::float8 * 60 - 1e-9)::integer + buffer_minutes
$$;

-- The same between two campuses; 0 on one campus.
CREATE FUNCTION travel_minutes(a integer, b integer, kmh numeric, buffer_minutes integer) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN a = b THEN 0 ELSE travel_minutes_between(x.lat, x.lon, y.lat, y.lon, kmh, buffer_minutes) END
    FROM campus x, campus y WHERE x.campus_id = a AND y.campus_id = b
$$;

-- Days in a set of date ranges.
CREATE FUNCTION days_in(m datemultirange) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(sum(upper(r) - lower(r)), 0)::integer FROM unnest(m) r
$$;

CREATE FUNCTION minute_of(t time) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (extract(hour FROM t) * 60 + extract(minute FROM t))::integer
$$;

CREATE FUNCTION weekday_zh(d smallint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (ARRAY['周一', '周二', '周三', '周四', '周五', '周六', '周日'])[d]
$$;
CREATE FUNCTION weekday_en(d smallint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (ARRAY['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])[d]
$$;

-- ---------------------------------------------------------------------------------------------
-- Assignment references and timetable slots
-- ---------------------------------------------------------------------------------------------

-- HR's own reference for an assignment (the key of the CSV import); the CLI's get A<number>.
ALTER TABLE assignment ADD COLUMN ref text COLLATE "C" CHECK (ref ~ '^[0-9A-Za-z_-]{1,32}$');
UPDATE assignment SET ref = 'A' || assignment_id;
ALTER TABLE assignment ALTER COLUMN ref SET NOT NULL;
ALTER TABLE assignment ADD CONSTRAINT assignment_ref_key UNIQUE (ref);

CREATE FUNCTION assignment_default_ref() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n integer := 0;
BEGIN
    IF NEW.ref IS NULL THEN
        NEW.ref := 'A' || NEW.assignment_id;
        -- an imported reference may already look like a default one
        WHILE EXISTS (SELECT 1 FROM assignment WHERE ref = NEW.ref) LOOP
            n := n + 1;
            NEW.ref := 'A' || NEW.assignment_id || '-' || n;
        END LOOP;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER assignment_default_ref BEFORE INSERT ON assignment
    FOR EACH ROW EXECUTE FUNCTION assignment_default_ref();

-- A weekly lesson of a cross-school assignment: weekday (1 = Monday … 7 = Sunday), start and end
-- time, and the host campus it is taught on. It applies on every such weekday of the
-- assignment's range.
CREATE TABLE assignment_slot (
    assignment_id bigint NOT NULL REFERENCES assignment ON DELETE CASCADE,
    weekday       smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    starts        time(0) NOT NULL CHECK (starts >= '06:00'),
    ends          time(0) NOT NULL CHECK (ends <= '22:00'),
    campus_id     integer NOT NULL REFERENCES campus,
    CHECK (starts < ends),
    PRIMARY KEY (assignment_id, weekday, starts)
);
CREATE INDEX assignment_slot_campus_idx ON assignment_slot (campus_id);
SELECT audit_attach('assignment_slot', ARRAY['assignment_id', 'weekday', 'starts']);

-- ---------------------------------------------------------------------------------------------
-- The rules of domain.md §4, set-based
-- ---------------------------------------------------------------------------------------------

-- One assignment to check. `key` identifies it in the answer (a line number for an import, the
-- assignment number for a trigger); `label_zh`/`label_en` name it inside other candidates'
-- messages. `assignment_id` is the stored row it is (or replaces), if any.
CREATE TYPE assignment_candidate AS (
    key              text,
    label_zh         text,
    label_en         text,
    assignment_id    bigint,
    district_id      integer,
    staff_id         bigint,
    host_school_id   integer,
    kind             assignment_kind,
    subject_code     text,
    periods_per_week numeric,
    valid            daterange,
    status           assignment_status,
    override_reason  text
);

-- Every broken rule of every candidate in proposed, approved or active status. A candidate is
-- checked against the stored approved and active assignments (other than the candidates' own
-- rows) and against the other candidates that are approved or active.
--
-- Written for batches of tens of thousands: every step is a join on the teacher (no lookup per
-- row into a CTE), and policy numbers are read once per district and school year. JIT is off
-- for these checks: on an import-sized plan it spent 3–4 s compiling a query that runs in 0.5 s.
CREATE FUNCTION assignment_breaks(c assignment_candidate[])
RETURNS TABLE (key text, rule text, message_zh text, message_en text)
LANGUAGE plpgsql SET jit = off AS $fn$
#variable_conflict use_column
BEGIN
    -- the candidates as a freshly made, analysed table: the planner then knows how many there
    -- are (for an array it guesses 10 and picks nested loops that go quadratic on an import)
    IF to_regclass('pg_temp.assignment_check_input') IS NOT NULL THEN
        DROP TABLE pg_temp.assignment_check_input;
    END IF;
    CREATE TEMP TABLE assignment_check_input OF assignment_candidate ON COMMIT DROP;
    INSERT INTO assignment_check_input SELECT * FROM unnest(c);
    ANALYZE assignment_check_input;
    -- what counts against a candidate: approved and active work, stored or in the same batch
    IF to_regclass('pg_temp.assignment_check_others') IS NOT NULL THEN
        DROP TABLE pg_temp.assignment_check_others;
    END IF;
    CREATE TEMP TABLE assignment_check_others ON COMMIT DROP AS
    SELECT NULL::text AS okey, '#' || a.assignment_id || '（' || a.ref || '）' AS olabel_zh,
           '#' || a.assignment_id || ' (' || a.ref || ')' AS olabel_en,
           a.staff_id, a.kind, a.periods_per_week, a.valid, a.host_school_id
    FROM assignment a JOIN (SELECT DISTINCT staff_id FROM assignment_check_input WHERE status IN ('proposed', 'approved', 'active')) t USING (staff_id)
    WHERE a.status IN ('approved', 'active')
      AND NOT EXISTS (SELECT 1 FROM assignment_check_input y WHERE y.assignment_id = a.assignment_id)
    UNION ALL
    SELECT x.key, x.label_zh, x.label_en, x.staff_id, x.kind, x.periods_per_week, x.valid, x.host_school_id
    FROM assignment_check_input x WHERE x.status IN ('approved', 'active');
    ANALYZE assignment_check_others;
    RETURN QUERY
WITH input AS (
    SELECT x.* FROM assignment_check_input x
), cand AS (
    SELECT * FROM input WHERE status IN ('proposed', 'approved', 'active')
), placed AS (
    SELECT x.*, h.school_id AS home_id, hs.code AS home_code, hs.cluster_id AS home_cluster,
           t.code AS host_code, t.cluster_id AS host_cluster, t.stage AS host_stage
    FROM cand x JOIN school t ON t.school_id = x.host_school_id
    LEFT JOIN staff_home_school h ON h.staff_id = x.staff_id AND h.valid @> lower(x.valid)
    LEFT JOIN school hs ON hs.school_id = h.school_id
), others AS (
    SELECT * FROM assignment_check_others
), days AS (
    -- the weekly load changes only where a school year, another assignment or a placement starts
    -- or ends, so those days inside the candidate's range are enough to check every day
    SELECT x.key, lower(x.valid) AS day FROM cand x
    UNION
    SELECT x.key, b.day FROM cand x JOIN others o ON o.staff_id = x.staff_id AND o.okey IS DISTINCT FROM x.key
        AND o.valid && x.valid
    CROSS JOIN LATERAL (VALUES (lower(o.valid)), (upper(o.valid))) b(day) WHERE x.valid @> b.day
    UNION
    SELECT x.key, make_date(y, 9, 1) FROM cand x
    CROSS JOIN LATERAL generate_series(extract(year FROM lower(x.valid))::int, extract(year FROM upper(x.valid))::int) y
    WHERE x.valid @> make_date(y, 9, 1)
), load AS (
    SELECT d.key, d.day, x.staff_id, x.district_id, x.kind, x.periods_per_week AS this,
           coalesce(bool_or(o.kind = 'placement'), false) AS other_placement,
           coalesce(sum(o.periods_per_week), 0) AS cross_school
    FROM days d JOIN cand x ON x.key = d.key
    LEFT JOIN others o ON o.staff_id = x.staff_id AND o.okey IS DISTINCT FROM x.key AND o.valid @> d.day
    GROUP BY d.key, d.day, x.staff_id, x.district_id, x.kind, x.periods_per_week
), limits AS (
    SELECT district_id, school_year,
           coalesce(policy_value(district_id, school_year, ARRAY['assignments', 'maxWeeklyPeriods'])::numeric, 20) AS max_periods
    FROM (SELECT DISTINCT district_id, school_year_of(day) AS school_year FROM load) y
), totals AS (
    -- the home load applies unless the teacher is on a full-time placement that day
    SELECT l.key, l.day, l.this, l.cross_school, m.max_periods,
           CASE WHEN l.kind = 'placement' OR l.other_placement THEN 0 ELSE coalesce(hl.periods_per_week, 0) END AS home
    FROM load l JOIN limits m ON m.district_id = l.district_id AND m.school_year = school_year_of(l.day)
    LEFT JOIN staff_home_load hl ON hl.staff_id = l.staff_id AND hl.school_year = school_year_of(l.day)
), worst AS (
    SELECT DISTINCT ON (key) * FROM totals WHERE home + cross_school + this > max_periods
    ORDER BY key, home + cross_school + this DESC, day
)
SELECT key, 'home', '开始日期 ' || lower(valid) || ' 时该教师没有编制学校记录',
       'the teacher has no home school on ' || lower(valid)
FROM placed WHERE home_id IS NULL
UNION ALL
SELECT key, 'host_is_home', '任职学校 ' || host_code || ' 就是该教师的编制学校',
       'the host ' || host_code || ' is the teacher''s home school'
FROM placed WHERE home_id = host_school_id
UNION ALL
SELECT key, 'outside_cluster',
       '任职学校 ' || host_code || ' 与编制学校 ' || home_code || ' 不在同一学区或教育集团；需要区人事科批准并填写理由',
       'the host ' || host_code || ' is in neither the 学区 nor an education group of the home school ' || home_code
           || '; an HR override with a reason is needed'
FROM placed p
WHERE home_id <> host_school_id AND override_reason IS NULL
  AND NOT coalesce(home_cluster = host_cluster, false)   -- two schools outside any 学区 are not in one
  AND NOT EXISTS (SELECT 1 FROM edu_group_member a JOIN edu_group_member b USING (group_id)
                  WHERE a.school_id = p.home_id AND b.school_id = p.host_school_id)
UNION ALL
SELECT key, 'subject', '该教师没有 ' || coalesce(j.name_zh, subject_code) || ' 学科的任教资格',
       'the teacher is not qualified for ' || subject_code
FROM placed p LEFT JOIN subject j ON j.code = p.subject_code
WHERE subject_code IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.staff_id = p.staff_id AND s.primary_subject = p.subject_code)
  AND NOT EXISTS (SELECT 1 FROM staff_subject s WHERE s.staff_id = p.staff_id AND s.subject_code = p.subject_code)
UNION ALL
SELECT key, 'stage', '该教师没有 ' || host_code || ' 所含学段的教师资格证',
       'the teacher holds no certificate for a stage that ' || host_code || ' teaches'
FROM placed p
WHERE kind <> 'cluster_role'
  AND NOT EXISTS (SELECT 1 FROM staff_stage_cert s WHERE s.staff_id = p.staff_id AND s.stage = ANY (school_stage_covers(p.host_stage)))
UNION ALL
SELECT x.key, 'placement_overlap',
       '与该教师已批准的交流轮岗 ' || o.olabel_zh || '（' || s.code || '，' || lower(o.valid) || ' 至 ' || (upper(o.valid) - 1) || '）时间重叠',
       'overlaps the teacher''s approved placement ' || o.olabel_en || ' (' || s.code || ', ' || lower(o.valid) || ' to '
           || (upper(o.valid) - 1) || ')'
FROM cand x JOIN others o ON o.staff_id = x.staff_id AND o.okey IS DISTINCT FROM x.key AND o.kind = 'placement' AND o.valid && x.valid
JOIN school s ON s.school_id = o.host_school_id
WHERE x.kind = 'placement'
UNION ALL
SELECT key, 'load',
       day || ' 起每周 ' || trim_scale(home + cross_school + this) || ' 节（本校 ' || trim_scale(home) || '，已有跨校 '
           || trim_scale(cross_school) || '，本次 ' || trim_scale(this) || '），超过上限 ' || trim_scale(max_periods),
       'from ' || day || ': ' || trim_scale(home + cross_school + this) || ' periods a week (home ' || trim_scale(home)
           || ', other cross-school ' || trim_scale(cross_school) || ', this ' || trim_scale(this)
           || ') exceeds the limit of ' || trim_scale(max_periods)
FROM worst;
END
$fn$;

-- One timetable slot to check. `assignment_key` groups the slots of one candidate assignment;
-- `counts` is true when that assignment is approved or active (its slots then bind the others).
CREATE TYPE slot_candidate AS (
    key            text,
    label_zh       text,
    label_en       text,
    assignment_key text,
    assignment_id  bigint,
    counts         boolean,
    district_id    integer,
    staff_id       bigint,
    valid          daterange,
    campus_id      integer,
    weekday        smallint,
    starts         time,
    ends           time
);

-- Clashes of every candidate slot with the teacher's other slots on the same weekday while both
-- assignments run: two lessons may not overlap, and between campuses the teacher needs the travel
-- time of the policy. And on no day may the teacher change campus more than the policy allows.
-- Built like assignment_breaks(): joins on the teacher, policy read once per district and year.
-- Nested loops are off: the estimates of its grouped steps are too small for the planner to see
-- that every join is on the teacher, and a nested loop there went quadratic (measured 266 s for
-- 29,612 slots; with hash joins 1.0 s).
CREATE FUNCTION slot_breaks(c slot_candidate[])
RETURNS TABLE (key text, rule text, message_zh text, message_en text)
LANGUAGE plpgsql SET jit = off SET enable_nestloop = off AS $fn$
#variable_conflict use_column
BEGIN
    -- the candidates as a freshly made, analysed table: the planner then knows how many there
    -- are (for an array it guesses 10 and picks nested loops that go quadratic on an import)
    IF to_regclass('pg_temp.slot_check_input') IS NOT NULL THEN
        DROP TABLE pg_temp.slot_check_input;
    END IF;
    CREATE TEMP TABLE slot_check_input OF slot_candidate ON COMMIT DROP;
    INSERT INTO slot_check_input SELECT * FROM unnest(c);
    ANALYZE slot_check_input;
    RETURN QUERY
WITH input AS (
    SELECT x.*, school_year_of(lower(x.valid)) AS school_year FROM slot_check_input x
), rules AS (
    SELECT district_id, school_year,
           coalesce(policy_value(district_id, school_year, ARRAY['assignments', 'travelKmh'])::numeric, 20) AS kmh,
           coalesce(policy_value(district_id, school_year, ARRAY['assignments', 'travelBufferMinutes'])::int, 10) AS buffer,
           coalesce(policy_value(district_id, school_year, ARRAY['assignments', 'maxCampusChangesPerDay'])::int, 2) AS max_changes
    FROM (SELECT DISTINCT district_id, school_year FROM input) y
), cand AS (
    SELECT x.*, r.kmh, r.buffer, r.max_changes
    FROM input x JOIN rules r USING (district_id, school_year)
), teachers AS (
    SELECT DISTINCT staff_id FROM cand
), others AS (
    -- the slots that bind: of approved and active assignments, stored (unless being replaced) or
    -- in the batch; a candidate also meets the other slots of its own assignment
    SELECT NULL::text AS okey, NULL::text AS oakey, true AS ocounts,
           '#' || a.assignment_id || '（' || a.ref || '）' AS olabel_zh, '#' || a.assignment_id || ' (' || a.ref || ')' AS olabel_en,
           a.staff_id, a.valid, s.campus_id, s.weekday, s.starts, s.ends
    FROM assignment_slot s JOIN assignment a USING (assignment_id) JOIN teachers USING (staff_id)
    WHERE a.status IN ('approved', 'active')
      AND NOT EXISTS (SELECT 1 FROM input y WHERE y.assignment_id = a.assignment_id)
    UNION ALL
    SELECT x.key, x.assignment_key, x.counts, x.label_zh, x.label_en, x.staff_id, x.valid, x.campus_id, x.weekday, x.starts, x.ends
    FROM cand x
), pairs AS (
    SELECT x.key, x.weekday, x.starts, x.ends, o.starts AS ostarts, o.ends AS oends, o.olabel_zh, o.olabel_en,
           xs.code || '/' || xc.code AS xcampus, os.code || '/' || oc.code AS ocampus,
           CASE WHEN x.campus_id = o.campus_id THEN 0
                ELSE travel_minutes_between(xc.lat, xc.lon, oc.lat, oc.lon, x.kmh, x.buffer) END AS need
    FROM cand x JOIN others o ON o.staff_id = x.staff_id AND o.weekday = x.weekday AND o.okey IS DISTINCT FROM x.key
        AND o.valid && x.valid AND (o.ocounts OR o.oakey = x.assignment_key)
    JOIN campus xc ON xc.campus_id = x.campus_id JOIN school xs ON xs.school_id = xc.school_id
    JOIN campus oc ON oc.campus_id = o.campus_id JOIN school os ON os.school_id = oc.school_id
), clashes AS (
    SELECT DISTINCT ON (key) * FROM pairs
    -- in minutes of the day: time + interval would wrap round midnight
    WHERE minute_of(starts) < minute_of(oends) + need AND minute_of(ostarts) < minute_of(ends) + need
    ORDER BY key, ostarts
), groups AS (
    SELECT assignment_key, staff_id, valid AS gvalid, max_changes, min(key) AS first_key
    FROM cand GROUP BY assignment_key, staff_id, valid, max_changes
), pool AS (
    -- for each candidate assignment: the slots that share its days (its own and the binding ones)
    SELECT g.assignment_key, g.gvalid, g.max_changes, o.valid, o.campus_id, o.weekday, o.starts
    FROM groups g JOIN others o ON o.staff_id = g.staff_id AND o.valid && g.gvalid
        AND (o.ocounts OR o.oakey = g.assignment_key)
), taught AS (
    SELECT DISTINCT assignment_key, weekday FROM cand
), checkdays AS (
    -- the set of slots on a weekday changes only where one starts, and a slot that stops can
    -- only lower the count, so those days (on weekdays the candidate teaches) are enough
    SELECT DISTINCT p.assignment_key, p.weekday, greatest(lower(p.valid), lower(p.gvalid)) AS day, p.max_changes
    FROM pool p JOIN taught t USING (assignment_key, weekday)
), sequence AS (
    SELECT d.assignment_key, d.weekday, d.day, d.max_changes, p.campus_id,
           lag(p.campus_id) OVER (PARTITION BY d.assignment_key, d.weekday, d.day ORDER BY p.starts) AS previous
    FROM checkdays d JOIN pool p ON p.assignment_key = d.assignment_key AND p.weekday = d.weekday AND p.valid @> d.day
), changes AS (
    SELECT DISTINCT ON (assignment_key) assignment_key, weekday, day, max_changes,
           count(*) FILTER (WHERE campus_id <> previous) AS n
    FROM sequence GROUP BY assignment_key, weekday, day, max_changes
    HAVING count(*) FILTER (WHERE campus_id <> previous) > max_changes
    ORDER BY assignment_key, n DESC, day, weekday
)
SELECT key, 'slot_clash',
       weekday_zh(weekday) || ' ' || to_char(starts, 'HH24:MI') || '–' || to_char(ends, 'HH24:MI') || '（' || xcampus
           || '）与' || olabel_zh || '的 ' || to_char(ostarts, 'HH24:MI') || '–' || to_char(oends, 'HH24:MI') || '（' || ocampus || '）'
           || CASE WHEN need = 0 THEN '时间重叠' ELSE '冲突：两校区之间需要 ' || need || ' 分钟路程' END,
       weekday_en(weekday) || ' ' || to_char(starts, 'HH24:MI') || '-' || to_char(ends, 'HH24:MI') || ' (' || xcampus
           || ') clashes with ' || olabel_en || ' ' || to_char(ostarts, 'HH24:MI') || '-' || to_char(oends, 'HH24:MI') || ' (' || ocampus || ')'
           || CASE WHEN need = 0 THEN '' ELSE ': travelling between the campuses takes ' || need || ' minutes' END
FROM clashes
UNION ALL
SELECT (SELECT min(x.key) FROM slot_check_input x WHERE x.assignment_key = ch.assignment_key AND x.weekday = ch.weekday), 'campus_changes',
       day || ' 起每' || weekday_zh(weekday) || '要换 ' || n || ' 次校区，超过每天 ' || max_changes || ' 次的上限',
       'from ' || day || ', every ' || weekday_en(weekday) || ' needs ' || n || ' campus changes; the limit is ' || max_changes || ' a day'
FROM changes ch;
END
$fn$;

-- ---------------------------------------------------------------------------------------------
-- Enforcement: statement-level triggers run the set-based checks on what a statement wrote
-- ---------------------------------------------------------------------------------------------

-- One exception listing every broken rule, a line each (Chinese message, English detail), so
-- that the CLI can show them all; the hint lists the rules in the same order (`rules=a,b`), the
-- constraint name carries the first.
CREATE FUNCTION raise_rule_breaks(breaks jsonb, constraint_prefix text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF breaks IS NULL OR jsonb_array_length(breaks) = 0 THEN
        RETURN;
    END IF;
    RAISE EXCEPTION '%', (SELECT string_agg(b ->> 'zh', E'\n' ORDER BY n) FROM jsonb_array_elements(breaks) WITH ORDINALITY e(b, n))
        USING ERRCODE = 'check_violation',
              DETAIL = (SELECT string_agg(b ->> 'en', E'\n' ORDER BY n) FROM jsonb_array_elements(breaks) WITH ORDINALITY e(b, n)),
              HINT = 'rules=' || (SELECT string_agg(b ->> 'rule', ',' ORDER BY n) FROM jsonb_array_elements(breaks) WITH ORDINALITY e(b, n)),
              CONSTRAINT = constraint_prefix || (breaks -> 0 ->> 'rule');
END
$$;

-- Serialises rule checks per teacher: two sessions approving work for one teacher at once take
-- turns, and the second check (a new statement, so a new snapshot) sees the first one's rows.
-- A batch of more than 500 teachers (an import) takes its districts' lock exclusively instead of
-- one lock per teacher, which would overflow the shared lock table on a large import; single
-- checks hold the district lock shared, so they wait for such an import and not for each other.
-- (The importer takes its districts' lock exclusively before its first write, so an import never
-- moves from shared to exclusive while a single check waits for one of its teachers.)
CREATE FUNCTION lock_teachers(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- under REPEATABLE READ the check would read its transaction's old snapshot after the wait
    -- and miss what the other session wrote; SERIALIZABLE detects the conflict itself
    IF current_setting('transaction_isolation') = 'repeatable read' THEN
        RAISE EXCEPTION '跨校任教安排不能在 REPEATABLE READ 事务中修改'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'cross-school work cannot be changed in a REPEATABLE READ transaction: use READ COMMITTED or SERIALIZABLE';
    END IF;
    IF (SELECT count(DISTINCT id) FROM unnest(ids) id) > 500 THEN
        PERFORM pg_advisory_xact_lock(hashtext('xuequ.district'), d.district_id)
        FROM (SELECT DISTINCT district_id FROM staff WHERE staff_id = ANY (ids) ORDER BY 1) d;
    ELSE
        PERFORM pg_advisory_xact_lock_shared(hashtext('xuequ.district'), d.district_id)
        FROM (SELECT DISTINCT district_id FROM staff WHERE staff_id = ANY (ids) ORDER BY 1) d;
        PERFORM pg_advisory_xact_lock(hashtext('xuequ.teacher'), (t.id % 2147483647)::integer)
        FROM (SELECT DISTINCT unnest(ids) AS id ORDER BY 1) t;
    END IF;
END
$$;

CREATE FUNCTION assignment_candidates_of(rows assignment[]) RETURNS assignment_candidate[] LANGUAGE sql STABLE AS $$
    SELECT array_agg(ROW('#' || r.assignment_id, '#' || r.assignment_id || '（' || r.ref || '）', '#' || r.assignment_id || ' (' || r.ref || ')',
                         r.assignment_id, r.district_id, r.staff_id, r.host_school_id, r.kind, r.subject_code,
                         r.periods_per_week, r.valid, r.status, r.override_reason)::assignment_candidate)
    FROM unnest(rows) r
$$;

CREATE FUNCTION slot_candidates_of(ids bigint[]) RETURNS slot_candidate[] LANGUAGE sql STABLE AS $$
    SELECT array_agg(ROW('#' || a.assignment_id || '/' || s.weekday || '/' || s.starts,
                         '#' || a.assignment_id || '（' || a.ref || '）', '#' || a.assignment_id || ' (' || a.ref || ')',
                         '#' || a.assignment_id, a.assignment_id, a.status IN ('approved', 'active'), a.district_id, a.staff_id,
                         a.valid, s.campus_id, s.weekday, s.starts, s.ends)::slot_candidate)
    FROM assignment_slot s JOIN assignment a USING (assignment_id)
    WHERE a.assignment_id = ANY (ids) AND a.status IN ('proposed', 'approved', 'active')
$$;

-- Checks the assignments a statement wrote: new ones, and changed ones that are (or become)
-- proposed, approved or active. Slots of the checked assignments are re-checked too, since an
-- approval makes them bind.
CREATE FUNCTION assignment_check_statement() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rows assignment[];
    breaks jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(n) INTO rows FROM new_rows n WHERE n.status IN ('proposed', 'approved', 'active');
    ELSE
        SELECT array_agg(n) INTO rows FROM new_rows n JOIN old_rows o USING (assignment_id)
        WHERE n.status IN ('proposed', 'approved', 'active')
          AND (n.status <> o.status OR (n.staff_id, n.host_school_id, n.kind, n.subject_code, n.periods_per_week, n.valid, n.override_reason)
               IS DISTINCT FROM (o.staff_id, o.host_school_id, o.kind, o.subject_code, o.periods_per_week, o.valid, o.override_reason));
    END IF;
    IF rows IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM lock_teachers((SELECT array_agg(r.staff_id) FROM unnest(rows) r));
    SELECT jsonb_agg(jsonb_build_object('rule', b.rule, 'zh', b.key || '：' || b.message_zh, 'en', b.key || ': ' || b.message_en)
                     ORDER BY b.key, b.rule) INTO breaks
    FROM assignment_breaks(assignment_candidates_of(rows)) b;
    PERFORM raise_rule_breaks(breaks, 'assignment_rule_');
    SELECT jsonb_agg(jsonb_build_object('rule', b.rule, 'zh', b.key || '：' || b.message_zh, 'en', b.key || ': ' || b.message_en)
                     ORDER BY b.key, b.rule) INTO breaks
    FROM slot_breaks(slot_candidates_of((SELECT array_agg(r.assignment_id) FROM unnest(rows) r))) b;
    PERFORM raise_rule_breaks(breaks, 'assignment_rule_');
    RETURN NULL;
END
$$;

DROP TRIGGER assignment_enforce_rules ON assignment;
DROP FUNCTION assignment_enforce_rules();
DROP FUNCTION assignment_violations(bigint, integer, assignment_kind, text, numeric, daterange, text, integer, bigint);

CREATE TRIGGER assignment_check_insert AFTER INSERT ON assignment REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION assignment_check_statement();
CREATE TRIGGER assignment_check_update AFTER UPDATE ON assignment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION assignment_check_statement();

-- Slots: the campus belongs to the host school, and every slot a statement wrote is checked.
CREATE FUNCTION assignment_slot_check_statement() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
    wrong record;
    breaks jsonb;
BEGIN
    SELECT n.assignment_id, c.code AS campus, s.code AS school, h.code AS host INTO wrong
    FROM new_rows n JOIN assignment a USING (assignment_id) JOIN campus c ON c.campus_id = n.campus_id
    JOIN school s ON s.school_id = c.school_id JOIN school h ON h.school_id = a.host_school_id
    WHERE c.school_id <> a.host_school_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '#%：校区 %/% 不属于任职学校 %', wrong.assignment_id, wrong.school, wrong.campus, wrong.host
            USING ERRCODE = 'check_violation', CONSTRAINT = 'assignment_slot_campus',
                  DETAIL = format('#%s: campus %s/%s is not a campus of the host school %s', wrong.assignment_id, wrong.school, wrong.campus, wrong.host);
    END IF;
    SELECT array_agg(DISTINCT assignment_id) INTO ids FROM new_rows;
    PERFORM lock_teachers((SELECT array_agg(a.staff_id) FROM assignment a WHERE a.assignment_id = ANY (ids)));
    SELECT jsonb_agg(jsonb_build_object('rule', b.rule, 'zh', b.key || '：' || b.message_zh, 'en', b.key || ': ' || b.message_en)
                     ORDER BY b.key, b.rule) INTO breaks
    FROM slot_breaks(slot_candidates_of(ids)) b;
    PERFORM raise_rule_breaks(breaks, 'assignment_rule_');
    RETURN NULL;
END
$$;
CREATE TRIGGER assignment_slot_check_insert AFTER INSERT ON assignment_slot REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION assignment_slot_check_statement();
CREATE TRIGGER assignment_slot_check_update AFTER UPDATE ON assignment_slot REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION assignment_slot_check_statement();

-- Status history, set-based: 0003 wrote each event from a row trigger (with a max(seq) lookup per
-- row); an import of 20,000 assignments now writes its 20,000 events in one statement. Only the
-- legality of a status change stays per row, in a BEFORE trigger that reads nothing.
DROP TRIGGER assignment_status_change ON assignment;
DROP FUNCTION assignment_status_change();

CREATE FUNCTION assignment_status_zh(s assignment_status) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE s WHEN 'proposed' THEN '待批准' WHEN 'approved' THEN '已批准' WHEN 'active' THEN '进行中'
                  WHEN 'ended' THEN '已结束' WHEN 'cancelled' THEN '已取消' ELSE '已驳回' END
$$;

CREATE FUNCTION assignment_kind_zh(k assignment_kind) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE k WHEN 'part_time' THEN '跨校兼课' WHEN 'itinerant' THEN '走教' WHEN 'cluster_role' THEN '学区兼职' ELSE '交流轮岗' END
$$;

CREATE FUNCTION assignment_status_legal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> OLD.status AND (OLD.status, NEW.status) NOT IN (
            ('proposed', 'approved'), ('proposed', 'rejected'), ('proposed', 'cancelled'),
            ('approved', 'active'), ('approved', 'cancelled'), ('active', 'ended')) THEN
        RAISE EXCEPTION '安排 #% 不能从“%”改为“%”', NEW.assignment_id, assignment_status_zh(OLD.status), assignment_status_zh(NEW.status)
            USING ERRCODE = 'check_violation', CONSTRAINT = 'assignment_status_transition',
                  DETAIL = format('assignment #%s cannot go from %s to %s', NEW.assignment_id, OLD.status, NEW.status);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER assignment_status_legal BEFORE UPDATE OF status ON assignment
    FOR EACH ROW EXECUTE FUNCTION assignment_status_legal();

-- One event per new assignment and per status change: who (the role), when, why (xuequ.reason).
CREATE FUNCTION assignment_record_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO assignment_event (assignment_id, seq, from_status, to_status, reason)
        SELECT n.assignment_id, 1, NULL, n.status, nullif(current_setting('xuequ.reason', true), '')
        FROM new_rows n;
    ELSE
        INSERT INTO assignment_event (assignment_id, seq, from_status, to_status, reason)
        SELECT n.assignment_id, coalesce(e.last, 0) + 1, o.status, n.status, nullif(current_setting('xuequ.reason', true), '')
        FROM new_rows n JOIN old_rows o USING (assignment_id)
        LEFT JOIN (SELECT assignment_id, max(seq) AS last FROM assignment_event
                   WHERE assignment_id IN (SELECT assignment_id FROM new_rows) GROUP BY assignment_id) e USING (assignment_id)
        WHERE n.status <> o.status;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER assignment_record_events_i AFTER INSERT ON assignment REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION assignment_record_events();
CREATE TRIGGER assignment_record_events_u AFTER UPDATE ON assignment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION assignment_record_events();

-- ---------------------------------------------------------------------------------------------
-- Workload (domain.md §6, §9)
-- ---------------------------------------------------------------------------------------------

-- What each teacher taught where in the period [p_from, p_to] (inclusive): one row for the home
-- school per home school and load (on the days the teacher was not on a full-time placement),
-- one row per approved, active or ended assignment (its days inside the period). `cross_school`
-- says whether the row counts with the policy's crossSchoolFactor. Every teacher at once.
CREATE FUNCTION workload_parts(p_from date, p_to date)
RETURNS TABLE (staff_id bigint, district_id integer, school_id integer, assignment_id bigint, kind assignment_kind,
               periods_per_week numeric, days integer, cross_school boolean)
LANGUAGE sql STABLE SET jit = off AS $$
WITH period AS (
    SELECT daterange(p_from, p_to, '[]') AS r
), away AS (
    SELECT a.staff_id, range_agg(a.valid * p.r) AS m
    FROM assignment a, period p
    WHERE a.kind = 'placement' AND a.status IN ('approved', 'active', 'ended') AND a.valid && p.r
    GROUP BY a.staff_id
), home AS (
    SELECT h.staff_id, h.district_id, h.school_id, l.periods_per_week,
           h.valid * p.r * daterange(make_date(l.school_year, 9, 1), make_date(l.school_year + 1, 9, 1)) AS span
    FROM period p, staff_home_school h JOIN staff_home_load l ON l.staff_id = h.staff_id
    WHERE h.valid && p.r AND l.school_year BETWEEN school_year_of(p_from) AND school_year_of(p_to)
      AND l.periods_per_week > 0
), kinds AS (
    -- which kinds count as cross-school work, by district (the policy of the period's first year)
    SELECT d.district_id, ARRAY(SELECT jsonb_array_elements_text(coalesce(
               policy_value(d.district_id, school_year_of(p_from), ARRAY['evaluation', 'crossSchoolKinds']),
               '["part_time", "itinerant", "cluster_role", "placement"]'::jsonb))) AS kinds
    FROM district d
)
SELECT hm.staff_id, hm.district_id, hm.school_id, NULL::bigint, NULL::assignment_kind, hm.periods_per_week::numeric,
       sum(days_in(datemultirange(hm.span) - coalesce(aw.m, '{}'::datemultirange)))::integer, false
FROM home hm LEFT JOIN away aw USING (staff_id)
WHERE NOT isempty(hm.span)
GROUP BY hm.staff_id, hm.district_id, hm.school_id, hm.periods_per_week
HAVING sum(days_in(datemultirange(hm.span) - coalesce(aw.m, '{}'::datemultirange))) > 0
UNION ALL
SELECT a.staff_id, a.district_id, a.host_school_id, a.assignment_id, a.kind, a.periods_per_week,
       upper(a.valid * p.r) - lower(a.valid * p.r), a.kind::text = ANY (k.kinds)
FROM assignment a JOIN kinds k USING (district_id), period p
WHERE a.status IN ('approved', 'active', 'ended') AND a.valid && p.r
$$;

-- Each teacher's workload in the period: period-days (periods/week × days) at home and across
-- schools, the weighted periods of domain.md §9 and whether they were 班主任 in the period.
CREATE FUNCTION workload_summary(p_from date, p_to date)
RETURNS TABLE (staff_id bigint, district_id integer, period_days integer, home_period_days numeric, cross_period_days numeric,
               weighted_periods numeric, homeroom boolean, schools integer)
LANGUAGE sql STABLE SET jit = off AS $$
WITH parts AS (
    SELECT * FROM workload_parts(p_from, p_to)
), factors AS (
    SELECT d.district_id,
           coalesce(policy_value(d.district_id, school_year_of(p_from), ARRAY['evaluation', 'crossSchoolFactor'])::numeric, 1.2) AS factor,
           coalesce(policy_value(d.district_id, school_year_of(p_from), ARRAY['evaluation', 'standardWeeklyPeriods'])::numeric, 14) AS standard
    FROM district d
)
SELECT p.staff_id, p.district_id, (p_to - p_from + 1),
       sum(p.periods_per_week * p.days) FILTER (WHERE p.assignment_id IS NULL),
       sum(p.periods_per_week * p.days) FILTER (WHERE p.assignment_id IS NOT NULL),
       sum(p.periods_per_week * p.days * CASE WHEN p.cross_school THEN f.factor ELSE 1 END) / (p_to - p_from + 1)
           + CASE WHEN bool_or(hr.staff_id IS NOT NULL) THEN f.standard / 2 ELSE 0 END,
       bool_or(hr.staff_id IS NOT NULL),
       count(DISTINCT p.school_id)::integer
FROM parts p JOIN factors f USING (district_id)
LEFT JOIN (SELECT DISTINCT y.staff_id FROM staff_homeroom_year y
           WHERE y.school_year BETWEEN school_year_of(p_from) AND school_year_of(p_to)) hr USING (staff_id)
GROUP BY p.staff_id, p.district_id, f.factor, f.standard
$$;

-- Each school's share of each teacher's workload in the period (periods/week × days there over
-- the teacher's total): the weights of the evaluation and the evaluator-rights test.
CREATE FUNCTION workload_shares(p_from date, p_to date)
RETURNS TABLE (staff_id bigint, school_id integer, period_days numeric, share numeric)
LANGUAGE sql STABLE SET jit = off AS $$
    SELECT staff_id, school_id, sum(periods_per_week * days),
           sum(periods_per_week * days) / sum(sum(periods_per_week * days)) OVER (PARTITION BY staff_id)
    FROM workload_parts(p_from, p_to)
    GROUP BY staff_id, school_id
$$;
