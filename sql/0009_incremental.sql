-- Xuequ 0009: the incremental nightly batch (issue 7).
--
--   * every write to an input of the batch notes what it touched in nightly_change: a teacher, a
--     school (its pool), or a whole district (its policy, periods or schools)
--   * a run consumes the notes it can see in its snapshot and recomputes only the assessment units
--     and teachers they touch; the published results are then, per unit (scores) and per teacher
--     (titles), the run that last computed them
--   * readers resolve "published" through score_result_units() and title_published_results()

-- ---------------------------------------------------------------------------------------------
-- What changed since the last run
-- ---------------------------------------------------------------------------------------------

-- staff_id: that teacher; school_id (and no staff): that school's pool, so its unit; neither: the
-- whole district. Written only by the triggers below (as the table's owner); the batch deletes
-- the rows it consumed inside its publishing transaction, so a note written after its snapshot
-- waits for the next run.
CREATE TABLE nightly_change (
    district_id integer NOT NULL,
    staff_id    bigint,
    school_id   integer,
    source      name NOT NULL,
    noted_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX nightly_change_district_idx ON nightly_change (district_id);

-- A teacher's record changed (both the old and the new row's district: a teacher may move). A
-- statement that touches more than 1,000 teachers of a district (an import of the school year's
-- data) notes the whole district instead: the next run recomputes it in full anyway.
CREATE FUNCTION nightly_note_staff() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        WITH c AS (SELECT DISTINCT n.district_id, n.staff_id FROM new_rows n),
             k AS (SELECT district_id, count(*) AS teachers FROM c GROUP BY district_id)
        INSERT INTO nightly_change (district_id, staff_id, source)
        SELECT c.district_id, c.staff_id, TG_TABLE_NAME FROM c JOIN k USING (district_id) WHERE k.teachers <= 1000
        UNION ALL
        SELECT k.district_id, NULL, TG_TABLE_NAME FROM k WHERE k.teachers > 1000;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        WITH c AS (SELECT DISTINCT o.district_id, o.staff_id FROM old_rows o),
             k AS (SELECT district_id, count(*) AS teachers FROM c GROUP BY district_id)
        INSERT INTO nightly_change (district_id, staff_id, source)
        SELECT c.district_id, c.staff_id, TG_TABLE_NAME FROM c JOIN k USING (district_id) WHERE k.teachers <= 1000
        UNION ALL
        SELECT k.district_id, NULL, TG_TABLE_NAME FROM k WHERE k.teachers > 1000;
    END IF;
    RETURN NULL;
END
$$;

-- A school's pool changed.
CREATE FUNCTION nightly_note_school() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO nightly_change (district_id, school_id, source)
        SELECT DISTINCT n.district_id, n.school_id, TG_TABLE_NAME FROM new_rows n;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO nightly_change (district_id, school_id, source)
        SELECT DISTINCT o.district_id, o.school_id, TG_TABLE_NAME FROM old_rows o;
    END IF;
    RETURN NULL;
END
$$;

-- A district's policy, periods or schools changed: everything in it is recomputed.
CREATE FUNCTION nightly_note_district() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO nightly_change (district_id, source) SELECT DISTINCT n.district_id, TG_TABLE_NAME FROM new_rows n;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO nightly_change (district_id, source) SELECT DISTINCT o.district_id, TG_TABLE_NAME FROM old_rows o;
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t text;
    f text;
BEGIN
    -- the inputs of the scores and of the title rules
    FOR t, f IN VALUES
        ('staff', 'nightly_note_staff'), ('staff_home_school', 'nightly_note_staff'), ('staff_home_load', 'nightly_note_staff'),
        ('staff_status', 'nightly_note_staff'), ('staff_homeroom_year', 'nightly_note_staff'),
        ('staff_ethics_record', 'nightly_note_staff'), ('staff_title', 'nightly_note_staff'),
        ('staff_training', 'nightly_note_staff'), ('staff_annual_grade', 'nightly_note_staff'),
        ('assignment', 'nightly_note_staff'), ('evaluation', 'nightly_note_staff'),
        ('incentive_pool', 'nightly_note_school'),
        ('evaluation_period', 'nightly_note_district'), ('policy_document', 'nightly_note_district'),
        ('school', 'nightly_note_district')
    LOOP
        EXECUTE format('CREATE TRIGGER nightly_note_insert AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I()', t, f);
        EXECUTE format('CREATE TRIGGER nightly_note_update AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I()', t, f);
        EXECUTE format('CREATE TRIGGER nightly_note_delete AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION %I()', t, f);
    END LOOP;
END
$$;

-- Only the triggers write the notes; the batch reads and consumes them.
REVOKE ALL ON nightly_change FROM PUBLIC;
ALTER TABLE nightly_change ENABLE ROW LEVEL SECURITY;
GRANT SELECT, DELETE ON nightly_change TO xuequ_batch;
GRANT SELECT ON nightly_change TO xuequ_auditor;
CREATE POLICY read_all ON nightly_change FOR SELECT TO xuequ_auditor, xuequ_batch USING (true);
CREATE POLICY batch_consume ON nightly_change FOR DELETE TO xuequ_batch USING (true);

-- ---------------------------------------------------------------------------------------------
-- Published results, per unit and per teacher
-- ---------------------------------------------------------------------------------------------

ALTER TABLE nightly_run ADD COLUMN mode text NOT NULL DEFAULT 'full' CHECK (mode IN ('full', 'incremental'));

-- The run whose results of an assessment unit readers see, per period. A full run replaces the
-- period's rows; an incremental run those of the units it recomputed (a unit left without
-- teachers loses its row). published_run still names the last run that scored the period.
CREATE TABLE published_unit (
    period_id      integer NOT NULL REFERENCES evaluation_period,
    unit_school_id integer NOT NULL,
    district_id    integer NOT NULL,
    run_id         bigint NOT NULL REFERENCES nightly_run,
    PRIMARY KEY (period_id, unit_school_id)
);
CREATE INDEX published_unit_run_idx ON published_unit (run_id);
INSERT INTO published_unit (period_id, unit_school_id, district_id, run_id)
SELECT u.period_id, u.unit_school_id, u.district_id, u.run_id
FROM published_run r JOIN score_unit u ON u.run_id = r.run_id AND u.period_id = r.period_id;

-- Title results recomputed by incremental runs since the district's last full title stage
-- (published_title): the teacher's row of that run replaces the full run's; no row in that run
-- means the teacher is no longer assessed.
CREATE TABLE title_override (
    district_id integer NOT NULL REFERENCES district,
    staff_id    bigint NOT NULL,
    run_id      bigint NOT NULL REFERENCES nightly_run,
    PRIMARY KEY (district_id, staff_id)
);

-- a district's title results of a run (the readers and the incremental run go by district)
CREATE INDEX title_result_district_idx ON title_result (run_id, district_id);

ALTER TABLE published_unit ENABLE ROW LEVEL SECURITY;
ALTER TABLE title_override ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON published_unit, title_override TO xuequ_hr, xuequ_cluster_office, xuequ_principal, xuequ_auditor, xuequ_batch;
GRANT INSERT, UPDATE, DELETE ON published_unit, title_override TO xuequ_batch;
DO $$
DECLARE
    t text;
BEGIN
    -- pointers (which run computed what) of the reader's own district; auditors and the batch all
    FOREACH t IN ARRAY ARRAY['published_unit', 'title_override'] LOOP
        EXECUTE format('CREATE POLICY own_district ON %I FOR SELECT TO xuequ_hr, xuequ_cluster_office, xuequ_principal
                        USING (district_id = (SELECT xuequ_user_district()))', t);
        EXECUTE format('CREATE POLICY read_all ON %I FOR SELECT TO xuequ_auditor, xuequ_batch USING (true)', t);
        EXECUTE format('CREATE POLICY batch_write ON %I FOR ALL TO xuequ_batch USING (true) WITH CHECK (true)', t);
    END LOOP;
END
$$;

-- The (run, unit) pairs of a period's results: as published (p_run NULL), or as run p_run computed
-- them. Readers join score_teacher and score_unit to it.
CREATE FUNCTION score_result_units(p_period integer, p_run bigint)
RETURNS TABLE (run_id bigint, unit_school_id integer) LANGUAGE sql STABLE AS $$
    SELECT u.run_id, u.unit_school_id FROM published_unit u WHERE p_run IS NULL AND u.period_id = p_period
    UNION ALL
    SELECT u.run_id, u.unit_school_id FROM score_unit u WHERE p_run IS NOT NULL AND u.run_id = p_run AND u.period_id = p_period
$$;

-- From this version the batch keeps only the rules a teacher does not meet: the rows that say why
-- a teacher is not eligible. The rules met are implied by the result; `xuequ title check` shows all.
COMMENT ON TABLE title_rule IS 'per run and teacher, the title rules not met (fail or missing data); the rules met are implied';

-- The date a district's title results are of: the last run that assessed any of them. An
-- incremental run on a later date recomputes the teachers whose results could differ between the
-- two dates (an anniversary, a window edge, a projected date, a status or home-school change …);
-- the others' results hold on the new date too.
ALTER TABLE published_title ADD COLUMN titles_as_of date;
UPDATE published_title p SET titles_as_of = r.as_of FROM nightly_run r WHERE r.run_id = p.run_id;
ALTER TABLE published_title ALTER COLUMN titles_as_of SET NOT NULL;

-- A district's published title results (the full run's, with later incremental runs' in place),
-- each as of the district's date.
CREATE FUNCTION title_published_results(p_district integer) RETURNS SETOF title_result LANGUAGE sql STABLE AS $$
    SELECT r.run_id, r.district_id, r.staff_id, r.home_school_id, p.titles_as_of, r.current_level, r.current_since, r.target,
           r.status, r.projected_on
    FROM published_title p JOIN title_result r ON r.run_id = p.run_id AND r.district_id = p.district_id
    WHERE p.district_id = p_district
      AND NOT EXISTS (SELECT 1 FROM title_override o WHERE o.district_id = p_district AND o.staff_id = r.staff_id)
    UNION ALL
    SELECT r.run_id, r.district_id, r.staff_id, r.home_school_id, p.titles_as_of, r.current_level, r.current_since, r.target,
           r.status, r.projected_on
    FROM published_title p JOIN title_override o ON o.district_id = p.district_id
    JOIN title_result r ON r.run_id = o.run_id AND r.staff_id = o.staff_id
    WHERE p.district_id = p_district AND r.district_id = p_district
$$;

-- The grades of released periods as published, now per unit: the teachers looked up by key in
-- each run that has published units of the period, kept when their unit is published from it.
CREATE OR REPLACE FUNCTION title_published_grades(ids bigint[])
RETURNS TABLE (staff_id bigint, school_year integer, grade evaluation_grade)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT t.staff_id, p.school_year::integer, t.grade
    FROM evaluation_period p
    JOIN (SELECT DISTINCT u.period_id, u.run_id FROM published_unit u) r ON r.period_id = p.period_id
    JOIN score_teacher t ON t.run_id = r.run_id AND t.period_id = r.period_id AND t.staff_id = ANY (ids)
    JOIN staff st ON st.staff_id = t.staff_id
    WHERE p.status = 'released' AND t.grade IS NOT NULL
      AND EXISTS (SELECT 1 FROM published_unit u WHERE u.period_id = t.period_id AND u.unit_school_id = t.unit_school_id
                                                   AND u.run_id = t.run_id)
      AND (xuequ_user_sees_all()
           OR (xuequ_user_role() IN ('hr', 'cluster_office') AND st.district_id = xuequ_user_district())
           OR (xuequ_user_role() = 'principal' AND t.staff_id IN (SELECT xuequ_principal_staff())))
$$;

-- ---------------------------------------------------------------------------------------------
-- The workload of some teachers only
-- ---------------------------------------------------------------------------------------------

-- workload_parts() of the teachers in p_staff (NULL: everyone). The incremental run reads the
-- parts of the teachers it recomputes; workload_parts() itself is now this with NULL. Planned for
-- the arguments of each call (EXECUTE … USING): a plan made for any p_staff at all filters badly
-- in both cases (80 s instead of 2 s for everyone at Beijing size; a list of 60,000 teachers
-- searched row by row instead of hashed).
CREATE FUNCTION workload_parts_of(p_from date, p_to date, p_staff bigint[])
RETURNS TABLE (staff_id bigint, district_id integer, school_id integer, assignment_id bigint, kind assignment_kind,
               periods_per_week numeric, days integer, cross_school boolean)
LANGUAGE plpgsql STABLE SET jit = off AS $body$
BEGIN
    RETURN QUERY EXECUTE $q$
    WITH period AS (
        SELECT daterange($1, $2, '[]') AS r
    ), away AS (
        SELECT a.staff_id, range_agg(a.valid * p.r) AS m
        FROM assignment a, period p
        WHERE a.kind = 'placement' AND a.status IN ('approved', 'active', 'ended') AND a.valid && p.r
          AND ($3 IS NULL OR a.staff_id = ANY ($3))
        GROUP BY a.staff_id
    ), home AS (
        SELECT h.staff_id, h.district_id, h.school_id, l.periods_per_week,
               h.valid * p.r * daterange(make_date(l.school_year, 9, 1), make_date(l.school_year + 1, 9, 1)) AS span
        FROM period p, staff_home_school h JOIN staff_home_load l ON l.staff_id = h.staff_id
        WHERE h.valid && p.r AND l.school_year BETWEEN school_year_of($1) AND school_year_of($2)
          AND l.periods_per_week > 0
          AND ($3 IS NULL OR h.staff_id = ANY ($3))
    ), kinds AS (
        -- which kinds count as cross-school work, by district (the policy of the period's first year)
        SELECT d.district_id, ARRAY(SELECT jsonb_array_elements_text(coalesce(
                   policy_value(d.district_id, school_year_of($1), ARRAY['evaluation', 'crossSchoolKinds']),
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
      AND ($3 IS NULL OR a.staff_id = ANY ($3))
    $q$ USING p_from, p_to, p_staff;
END
$body$;

CREATE OR REPLACE FUNCTION workload_parts(p_from date, p_to date)
RETURNS TABLE (staff_id bigint, district_id integer, school_id integer, assignment_id bigint, kind assignment_kind,
               periods_per_week numeric, days integer, cross_school boolean)
LANGUAGE sql STABLE SET jit = off AS $$
    SELECT * FROM workload_parts_of(p_from, p_to, NULL)
$$;

-- Whatever changed between the last run before this migration and the migration left no note:
-- the first run after it recomputes every district in full.
INSERT INTO nightly_change (district_id, source) SELECT district_id, '0009_incremental' FROM district;

-- ---------------------------------------------------------------------------------------------
-- Province-size statements
-- ---------------------------------------------------------------------------------------------

-- The evaluation check of 0007 gathered a statement's rows into one array: a province's 7.7 million
-- evaluations in one import overflowed PostgreSQL's 1 GB limit for a value. Large statements are
-- now checked 50,000 rows at a time (the setting xuequ.check_chunk_rows changes it, for tests).
CREATE OR REPLACE FUNCTION evaluation_check_statement() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    rows evaluation[];
    breaks jsonb;
    total bigint;
    k bigint;
    size integer := coalesce(nullif(current_setting('xuequ.check_chunk_rows', true), '')::integer, 50000);
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        -- withdrawing or changing a score is an edit of its period too: only while it is open
        SELECT jsonb_agg(jsonb_build_object('rule', 'period_open',
                   'zh', st.staff_no || '：' || p.school_year || ' 学年考核周期' || evaluation_period_status_zh(p.status) || '，不能删除或改动评分',
                   'en', st.staff_no || ': the ' || p.school_year || ' evaluation period is ' || p.status || ': its scores cannot be deleted or changed'))
          INTO breaks
        FROM (SELECT DISTINCT period_id, staff_id FROM old_rows) o JOIN evaluation_period p USING (period_id) JOIN staff st USING (staff_id)
        WHERE p.status <> 'open';
        PERFORM raise_rule_breaks(breaks, 'evaluation_rule_');
        IF TG_OP = 'DELETE' THEN
            RETURN NULL;
        END IF;
    END IF;
    SELECT count(*) INTO total FROM new_rows;
    IF total <= size THEN
        SELECT array_agg(n) INTO rows FROM new_rows n;
        SELECT jsonb_agg(jsonb_build_object('rule', b.rule, 'zh', b.key || '：' || b.message_zh, 'en', b.key || ': ' || b.message_en)
                         ORDER BY b.key, b.rule) INTO breaks
        FROM (SELECT * FROM evaluation_breaks(rows) LIMIT 50) b;
        PERFORM raise_rule_breaks(breaks, 'evaluation_rule_');
        RETURN NULL;
    END IF;
    CREATE TEMP TABLE evaluation_check_rows ON COMMIT DROP AS
    SELECT (row_number() OVER () - 1) / size AS chunk, n::evaluation AS n FROM new_rows n;
    CREATE INDEX ON pg_temp.evaluation_check_rows (chunk);
    -- without statistics the planner reads the whole table for every chunk: quadratic
    ANALYZE pg_temp.evaluation_check_rows;
    FOR k IN 0 .. (total - 1) / size LOOP
        SELECT array_agg(x.n) INTO rows FROM pg_temp.evaluation_check_rows x WHERE x.chunk = k;
        SELECT jsonb_agg(jsonb_build_object('rule', b.rule, 'zh', b.key || '：' || b.message_zh, 'en', b.key || ': ' || b.message_en)
                         ORDER BY b.key, b.rule) INTO breaks
        FROM (SELECT * FROM evaluation_breaks(rows) LIMIT 50) b;
        PERFORM raise_rule_breaks(breaks, 'evaluation_rule_');
    END LOOP;
    DROP TABLE pg_temp.evaluation_check_rows;
    RETURN NULL;
END
$$;

-- The evaluation rules of 0007, with the caller's scope asked once per school instead of per row.
CREATE OR REPLACE FUNCTION evaluation_breaks(rows evaluation[])
RETURNS TABLE (key text, rule text, message_zh text, message_en text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    WITH schools AS MATERIALIZED (
        SELECT DISTINCT y.school_id, y.district_id FROM unnest(rows) y
    ), visible AS MATERIALIZED (
        -- the caller's scope, asked once per school (the fence above keeps the call from being
        -- pushed down to every row): a SECURITY DEFINER function is parsed and planned on every
        -- call, which took about 20 minutes for a province's 7.7 million evaluations
        SELECT s.school_id AS visible_school, s.district_id AS visible_district
        FROM schools s WHERE xuequ_user_may_see_school(s.school_id, s.district_id)
    ), r AS (
        -- only rows within the caller's scope: the function runs as its owner and must not tell a
        -- caller about teachers or schools they may not see
        SELECT x.*, st.staff_no, sc.code AS school_code, p.school_year, p.starts_on, p.ends_on, p.status AS period_status,
               st.staff_no || '/' || sc.code || '/' || x.evaluator || '/' || x.dimension AS row_key
        FROM unnest(rows) x JOIN visible v ON v.visible_school = x.school_id AND v.visible_district = x.district_id
        JOIN staff st USING (staff_id) JOIN school sc USING (school_id)
        JOIN evaluation_period p ON p.period_id = x.period_id
    ), rubric AS (
        -- each period's rubric read once, not once per row
        SELECT y.district_id, y.school_year, d.key, d.name_zh, d.ord
        FROM (SELECT DISTINCT district_id, school_year FROM r) y, evaluation_dimensions(y.district_id, y.school_year) d
        WHERE d.source = 'evaluators'
    ), rubric_text AS (
        SELECT district_id, school_year, string_agg(key || ' ' || name_zh, '、' ORDER BY ord) AS zh,
               string_agg(key, ', ' ORDER BY ord) AS en
        FROM rubric GROUP BY district_id, school_year
    ), pairs AS (
        SELECT DISTINCT ON (staff_id, school_id, period_id) * FROM r
    )
    SELECT r.row_key, 'period_open',
           r.school_year || ' 学年考核周期' || evaluation_period_status_zh(r.period_status) || '，不能再录入或修改评分',
           'the ' || r.school_year || ' evaluation period is ' || r.period_status || ': scores can no longer be entered or changed'
    FROM r WHERE r.period_status <> 'open'
    UNION ALL
    SELECT r.row_key, 'dimension',
           '“' || r.dimension || '”不是本周期考核方案中由评价人打分的维度（可用：' || coalesce(t.zh, '无') || '）',
           '"' || r.dimension || '" is not an evaluator-scored dimension of this period''s rubric (use: ' || coalesce(t.en, 'none') || ')'
    FROM r LEFT JOIN rubric_text t USING (district_id, school_year)
    WHERE NOT EXISTS (SELECT 1 FROM rubric d WHERE d.district_id = r.district_id AND d.school_year = r.school_year AND d.key = r.dimension)
    UNION ALL
    -- the evaluator's school must be one where the teacher taught in the period: a home-school
    -- spell with a home load, or cross-school work (approved, active or ended) hosted there
    SELECT r.row_key, 'taught_at',
           '教师 ' || r.staff_no || ' 在考核周期（' || r.starts_on || ' 至 ' || r.ends_on || '）内没有在学校 ' || r.school_code || ' 任教，该校不能为该教师评分',
           'teacher ' || r.staff_no || ' did not teach at school ' || r.school_code || ' in the period (' || r.starts_on || ' to ' || r.ends_on
               || '), so that school cannot score them'
    FROM pairs r
    WHERE NOT EXISTS (
            SELECT 1 FROM staff_home_school h JOIN staff_home_load l ON l.staff_id = h.staff_id
            WHERE h.staff_id = r.staff_id AND h.school_id = r.school_id AND h.valid && daterange(r.starts_on, r.ends_on, '[]')
              AND l.periods_per_week > 0 AND l.school_year BETWEEN school_year_of(r.starts_on) AND school_year_of(r.ends_on)
              AND h.valid && daterange(make_date(l.school_year, 9, 1), make_date(l.school_year + 1, 9, 1)))
      AND NOT EXISTS (
            SELECT 1 FROM assignment a
            WHERE a.staff_id = r.staff_id AND a.host_school_id = r.school_id AND a.status IN ('approved', 'active', 'ended')
              AND a.valid && daterange(r.starts_on, r.ends_on, '[]'))
$$;
