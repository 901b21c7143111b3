-- Xuequ 0003: cross-school work (跨校任教): 跨校兼课, 走教, 学区兼职 and 交流轮岗 placements, with
-- their status history and the rules of domain.md §4. The rules live in one function,
-- assignment_violations(), which the CLI calls to explain a refusal and a trigger calls so that
-- no client can store an assignment that breaks them.

CREATE TYPE assignment_kind AS ENUM (
    'part_time',     -- 跨校兼课: periods per week at another school
    'itinerant',     -- 走教: teaching across several schools
    'cluster_role',  -- 学区兼职: part-time 学区 role (hours per week)
    'placement'      -- 交流轮岗: full-time at a host school, 编制 stays home
);

CREATE TYPE assignment_status AS ENUM ('proposed', 'approved', 'active', 'ended', 'cancelled', 'rejected');

CREATE TABLE assignment (
    assignment_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id      integer NOT NULL,
    staff_id         bigint NOT NULL,
    host_school_id   integer NOT NULL,
    kind             assignment_kind NOT NULL,
    subject_code     text COLLATE "C" REFERENCES subject,
    periods_per_week numeric(4, 1) NOT NULL CHECK (periods_per_week > 0 AND periods_per_week <= 40),
    valid            daterange NOT NULL CHECK (is_history_period(valid) AND NOT upper_inf(valid)),
    status           assignment_status NOT NULL DEFAULT 'proposed',
    override_reason  text CHECK (override_reason IS NULL OR (btrim(override_reason) <> '' AND length(override_reason) <= 500)),
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       name NOT NULL DEFAULT current_user,
    -- teacher and host school belong to the assignment's district
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE,
    FOREIGN KEY (host_school_id, district_id) REFERENCES school (school_id, district_id),
    -- teaching needs a subject; a 学区 role may have none
    CHECK (subject_code IS NOT NULL OR kind = 'cluster_role'),
    -- a placement lasts one to three years (policy placementYears = 3 by default)
    CHECK (kind <> 'placement' OR (upper(valid) - lower(valid) BETWEEN 28 AND 3 * 366)),
    -- a teacher's full-time placements never overlap: two HR staff approving at once cannot both win
    CONSTRAINT assignment_placements_no_overlap EXCLUDE USING gist (staff_id WITH =, valid WITH &&)
        WHERE (kind = 'placement' AND status IN ('approved', 'active'))
);
CREATE INDEX assignment_staff_idx ON assignment (staff_id);
CREATE INDEX assignment_host_idx ON assignment (host_school_id);

-- Every status change: who, when, why. Written by the trigger below, never edited.
CREATE TABLE assignment_event (
    assignment_id bigint NOT NULL REFERENCES assignment,
    seq           integer NOT NULL,
    from_status   assignment_status,
    to_status     assignment_status NOT NULL,
    at            timestamptz NOT NULL DEFAULT clock_timestamp(),
    by_role       name NOT NULL DEFAULT current_user,
    reason        text,
    PRIMARY KEY (assignment_id, seq)
);
CREATE TRIGGER assignment_event_no_update_delete BEFORE UPDATE OR DELETE ON assignment_event
    FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only('the status history is kept as it happened');

-- The rules of domain.md §4 for one (proposed) assignment, as of its start date. Returns one row per
-- broken rule: rule key, Chinese and English sentence naming the conflicting record.
-- p_ignore: an assignment id to leave out of the load sum (the assignment itself when re-checked).
CREATE FUNCTION assignment_violations(
    p_staff bigint, p_host integer, p_kind assignment_kind, p_subject text, p_periods numeric,
    p_valid daterange, p_override text, p_max_periods integer, p_ignore bigint DEFAULT NULL)
RETURNS TABLE (rule text, message_zh text, message_en text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    home_id integer;
    home_code text;
    host_code text;
    same_area boolean;
    worst record;
BEGIN
    SELECT h.school_id, s.code INTO home_id, home_code
    FROM staff_home_school h JOIN school s USING (school_id)
    WHERE h.staff_id = p_staff AND h.valid @> lower(p_valid);
    SELECT code INTO host_code FROM school WHERE school_id = p_host;

    IF home_id IS NULL THEN
        RETURN QUERY SELECT 'home', '开始日期 ' || lower(p_valid) || ' 时该教师没有编制学校记录',
                            'the teacher has no home school on ' || lower(p_valid);
    ELSIF home_id = p_host THEN
        RETURN QUERY SELECT 'host_is_home', '任职学校 ' || host_code || ' 就是该教师的编制学校',
                            'the host ' || host_code || ' is the teacher''s home school';
    ELSE
        SELECT EXISTS (SELECT 1 FROM school a JOIN school b ON a.cluster_id = b.cluster_id
                       WHERE a.school_id = home_id AND b.school_id = p_host)
            OR EXISTS (SELECT 1 FROM edu_group_member a JOIN edu_group_member b USING (group_id)
                       WHERE a.school_id = home_id AND b.school_id = p_host)
          INTO same_area;
        IF NOT same_area AND p_override IS NULL THEN
            RETURN QUERY SELECT 'outside_cluster',
                '任职学校 ' || host_code || ' 与编制学校 ' || home_code || ' 不在同一学区或教育集团；需要区人事科批准并填写理由',
                'the host ' || host_code || ' is in neither the 学区 nor an education group of the home school '
                    || home_code || '; an HR override with a reason is needed';
        END IF;
    END IF;

    IF p_subject IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM staff WHERE staff_id = p_staff AND primary_subject = p_subject
        UNION ALL SELECT 1 FROM staff_subject WHERE staff_id = p_staff AND subject_code = p_subject) THEN
        RETURN QUERY SELECT 'subject', '该教师没有 ' || (SELECT name_zh FROM subject WHERE code = p_subject) || ' 学科的任教资格',
                            'the teacher is not qualified for ' || p_subject;
    END IF;
    IF p_kind <> 'cluster_role' AND NOT EXISTS (
        SELECT 1 FROM staff_stage_cert c JOIN school s ON s.school_id = p_host
        WHERE c.staff_id = p_staff AND c.stage = ANY (school_stage_covers(s.stage))) THEN
        RETURN QUERY SELECT 'stage', '该教师没有 ' || host_code || ' 所含学段的教师资格证',
                            'the teacher holds no certificate for a stage that ' || host_code || ' teaches';
    END IF;

    IF p_kind = 'placement' THEN
        RETURN QUERY SELECT 'placement_overlap',
            '与该教师已批准的交流轮岗 #' || a.assignment_id || '（' || s.code || '，' || lower(a.valid) || ' 至 '
                || (upper(a.valid) - 1) || '）时间重叠',
            'overlaps the teacher''s approved placement #' || a.assignment_id || ' (' || s.code || ', '
                || lower(a.valid) || ' to ' || (upper(a.valid) - 1) || ')'
        FROM assignment a JOIN school s ON s.school_id = a.host_school_id
        WHERE a.staff_id = p_staff AND a.kind = 'placement' AND a.status IN ('approved', 'active')
          AND a.valid && p_valid AND a.assignment_id IS DISTINCT FROM p_ignore;
    END IF;

    -- weekly load on every day of the range: it changes only where a school year, another
    -- assignment or a placement starts or ends, so those days are enough to check
    WITH others AS (
        SELECT a.kind, a.periods_per_week, a.valid, a.assignment_id FROM assignment a
        WHERE a.staff_id = p_staff AND a.status IN ('approved', 'active') AND a.valid && p_valid
          AND a.assignment_id IS DISTINCT FROM p_ignore
    ), days AS (
        SELECT lower(p_valid) AS day
        UNION SELECT lower(o.valid) FROM others o WHERE p_valid @> lower(o.valid)
        UNION SELECT upper(o.valid) FROM others o WHERE p_valid @> upper(o.valid)
        UNION SELECT make_date(y, 9, 1) FROM generate_series(extract(year FROM lower(p_valid))::int,
                                                             extract(year FROM upper(p_valid))::int) y
              WHERE p_valid @> make_date(y, 9, 1)
    ), load AS (
        SELECT d.day,
               -- the home load applies unless the teacher is on a full-time placement that day
               CASE WHEN p_kind = 'placement' OR EXISTS (SELECT 1 FROM others o WHERE o.kind = 'placement' AND o.valid @> d.day)
                    THEN 0
                    ELSE coalesce((SELECT periods_per_week FROM staff_home_load l WHERE l.staff_id = p_staff
                                   AND l.school_year = CASE WHEN extract(month FROM d.day) >= 9 THEN extract(year FROM d.day)
                                                            ELSE extract(year FROM d.day) - 1 END), 0) END AS home,
               (SELECT coalesce(sum(o.periods_per_week), 0) FROM others o WHERE o.valid @> d.day) AS cross_school
        FROM days d
    )
    SELECT l.day, l.home, l.cross_school INTO worst FROM load l
    ORDER BY l.home + l.cross_school DESC, l.day LIMIT 1;
    IF worst.home + worst.cross_school + p_periods > p_max_periods THEN
        RETURN QUERY SELECT 'load',
            worst.day || ' 起每周 ' || trim_scale(worst.home + worst.cross_school + p_periods) || ' 节（本校 '
                || trim_scale(worst.home) || '，已有跨校 ' || trim_scale(worst.cross_school) || '，本次 ' || trim_scale(p_periods)
                || '），超过上限 ' || p_max_periods,
            'from ' || worst.day || ': ' || trim_scale(worst.home + worst.cross_school + p_periods) || ' periods a week (home '
                || trim_scale(worst.home) || ', other cross-school ' || trim_scale(worst.cross_school) || ', this '
                || trim_scale(p_periods) || ') exceeds the limit of ' || p_max_periods;
    END IF;
END
$$;

-- Legal status changes, and the event row for each. The reason comes from the session setting
-- xuequ.reason, which the CLI sets in the same transaction.
CREATE FUNCTION assignment_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    legal boolean;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.status = OLD.status THEN
            RETURN NEW;
        END IF;
        legal := (OLD.status, NEW.status) IN (
            ('proposed', 'approved'), ('proposed', 'rejected'), ('proposed', 'cancelled'),
            ('approved', 'active'), ('approved', 'cancelled'), ('active', 'ended'));
        IF NOT legal THEN
            RAISE EXCEPTION 'an assignment cannot go from % to %', OLD.status, NEW.status
                USING ERRCODE = 'check_violation', CONSTRAINT = 'assignment_status_transition';
        END IF;
    END IF;
    INSERT INTO assignment_event (assignment_id, seq, from_status, to_status, reason)
    VALUES (NEW.assignment_id,
            coalesce((SELECT max(seq) FROM assignment_event WHERE assignment_id = NEW.assignment_id), 0) + 1,
            CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status,
            nullif(current_setting('xuequ.reason', true), ''));
    RETURN NEW;
END
$$;
CREATE TRIGGER assignment_status_change AFTER INSERT OR UPDATE OF status ON assignment
    FOR EACH ROW EXECUTE FUNCTION assignment_status_change();

SELECT audit_attach('assignment', ARRAY['assignment_id']);
SELECT audit_attach('assignment_event', ARRAY['assignment_id', 'seq']);

-- A number from the policy in force for a district and school year (the newest version), or the
-- given default when no policy was imported.
CREATE FUNCTION policy_number(p_district integer, p_school_year integer, p_path text[], p_default numeric)
RETURNS numeric LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT (body #>> p_path)::numeric FROM policy_document
                     WHERE district_id = p_district AND school_year = p_school_year
                     ORDER BY version DESC LIMIT 1), p_default)
$$;

-- The database's last word on the rules: a new assignment, or one being approved or activated,
-- must break none of them. (The CLI checks first, to list every broken rule.)
CREATE FUNCTION assignment_enforce_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v record;
    start_year integer := CASE WHEN extract(month FROM lower(NEW.valid)) >= 9 THEN extract(year FROM lower(NEW.valid))
                               ELSE extract(year FROM lower(NEW.valid)) - 1 END;
BEGIN
    IF TG_OP = 'UPDATE' AND NOT (NEW.status IN ('approved', 'active') AND OLD.status IS DISTINCT FROM NEW.status) THEN
        RETURN NEW;
    END IF;
    IF NEW.status IN ('ended', 'cancelled', 'rejected') THEN
        RETURN NEW;
    END IF;
    SELECT * INTO v FROM assignment_violations(
        NEW.staff_id, NEW.host_school_id, NEW.kind, NEW.subject_code, NEW.periods_per_week, NEW.valid,
        NEW.override_reason,
        policy_number(NEW.district_id, start_year, ARRAY['assignments', 'maxWeeklyPeriods'], 20)::integer,
        NEW.assignment_id) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '%', v.message_zh USING ERRCODE = 'check_violation', DETAIL = v.message_en,
            CONSTRAINT = 'assignment_rule_' || v.rule;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER assignment_enforce_rules BEFORE INSERT OR UPDATE OF status ON assignment
    FOR EACH ROW EXECUTE FUNCTION assignment_enforce_rules();
