-- Xuequ 0008: title-evaluation eligibility (职称申报资格, domain.md §7, §9).
--
--   * annual grades from before the system existed (imported history); for later years the title
--     rules read the nightly batch's published grades of released periods, which take precedence
--   * the nightly batch's title stage: each teacher's next-level eligibility as of the run's date,
--     rule by rule, published per district with the run

-- 年度考核等次 of school years before Xuequ: HR imports them from the paper files.
CREATE TABLE staff_annual_grade (
    staff_id    bigint NOT NULL,
    district_id integer NOT NULL,
    school_year smallint NOT NULL CHECK (school_year BETWEEN 1950 AND 2100),
    grade       evaluation_grade NOT NULL,
    PRIMARY KEY (staff_id, school_year),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE
);
SELECT audit_attach('staff_annual_grade', ARRAY['staff_id', 'school_year']);

-- The title stage's results: one row per teacher and run, and one per rule.
CREATE TYPE title_status AS ENUM ('eligible', 'blocked', 'missing_data', 'top');
CREATE TYPE title_rule_outcome AS ENUM ('pass', 'fail', 'missing', 'off');

CREATE TABLE title_result (
    run_id         bigint NOT NULL,
    district_id    integer NOT NULL,
    staff_id       bigint NOT NULL,
    home_school_id integer,
    as_of          date NOT NULL,
    current_level  title_level,
    current_since  date,
    target         title_level,
    status         title_status NOT NULL,
    projected_on   date,
    PRIMARY KEY (run_id, staff_id),
    CHECK ((status = 'top') = (target IS NULL)),
    CHECK (projected_on IS NULL OR (status = 'blocked' AND projected_on > as_of))
);
CREATE INDEX title_result_school_idx ON title_result (run_id, home_school_id);

CREATE TABLE title_rule (
    run_id     bigint NOT NULL,
    staff_id   bigint NOT NULL,
    rule       text COLLATE "C" NOT NULL,
    ord        smallint NOT NULL,
    outcome    title_rule_outcome NOT NULL,
    have       text NOT NULL,
    need       text NOT NULL,
    pass_on    date,
    time_based boolean NOT NULL,
    message_zh text NOT NULL,
    message_en text NOT NULL,
    PRIMARY KEY (run_id, staff_id, rule)
);

-- The run whose title results readers see, per district.
CREATE TABLE published_title (
    district_id  integer PRIMARY KEY REFERENCES district,
    run_id       bigint NOT NULL REFERENCES nightly_run,
    published_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE FUNCTION title_status_zh(s title_status) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE s WHEN 'eligible' THEN '符合申报条件' WHEN 'blocked' THEN '暂不符合' WHEN 'missing_data' THEN '资料不全'
                  WHEN 'top' THEN '已是最高职称' END
$$;

-- Access: like the other person data. HR its district; auditors and the batch everything; a
-- principal the teachers whose home school is one of theirs; a 学区 office its 学区's teachers.
ALTER TABLE staff_annual_grade ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON staff_annual_grade TO xuequ_hr;
GRANT SELECT ON staff_annual_grade TO xuequ_auditor, xuequ_batch, xuequ_cluster_office;
CREATE POLICY hr_district ON staff_annual_grade FOR ALL TO xuequ_hr
    USING (district_id = (SELECT xuequ_user_district())) WITH CHECK (district_id = (SELECT xuequ_user_district()));
CREATE POLICY read_all ON staff_annual_grade FOR SELECT TO xuequ_auditor, xuequ_batch USING (true);
CREATE POLICY cluster_office ON staff_annual_grade FOR SELECT TO xuequ_cluster_office
    USING (district_id = (SELECT xuequ_user_district()));

ALTER TABLE title_result ENABLE ROW LEVEL SECURITY;
ALTER TABLE title_rule ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON title_result, title_rule, published_title TO xuequ_hr, xuequ_cluster_office, xuequ_principal, xuequ_auditor, xuequ_batch;
GRANT INSERT ON title_result, title_rule TO xuequ_batch;
GRANT INSERT, UPDATE ON published_title TO xuequ_batch;
CREATE POLICY read_all ON title_result FOR SELECT TO xuequ_auditor, xuequ_batch USING (true);
CREATE POLICY batch_write ON title_result FOR INSERT TO xuequ_batch WITH CHECK (true);
CREATE POLICY hr_district ON title_result FOR SELECT TO xuequ_hr USING (district_id = (SELECT xuequ_user_district()));
CREATE POLICY principal_schools ON title_result FOR SELECT TO xuequ_principal
    USING (home_school_id = ANY (coalesce((SELECT xuequ_user_schools()), '{}')));
CREATE POLICY cluster_office ON title_result FOR SELECT TO xuequ_cluster_office
    USING (home_school_id = ANY (coalesce((SELECT xuequ_user_cluster_schools()), '{}')));
CREATE POLICY read_all ON title_rule FOR SELECT TO xuequ_auditor, xuequ_batch USING (true);
CREATE POLICY batch_write ON title_rule FOR INSERT TO xuequ_batch WITH CHECK (true);
CREATE POLICY follows_result ON title_rule FOR SELECT TO xuequ_hr, xuequ_principal, xuequ_cluster_office
    USING (EXISTS (SELECT 1 FROM title_result r WHERE r.run_id = title_rule.run_id AND r.staff_id = title_rule.staff_id));

-- `xuequ title check` reads a teacher's records as the person asking: a principal the teachers
-- of their schools (the same set they may read in `staff`), a 学区 office its district.
GRANT SELECT ON staff_title, staff_home_school, staff_status, staff_home_load, staff_training, staff_ethics_record,
                staff_annual_grade, assignment TO xuequ_principal;
GRANT SELECT ON staff_training, staff_ethics_record TO xuequ_cluster_office;
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['staff_title', 'staff_home_school', 'staff_status', 'staff_home_load', 'staff_training',
                             'staff_ethics_record', 'staff_annual_grade', 'assignment'] LOOP
        EXECUTE format('CREATE POLICY principal_staff ON %I FOR SELECT TO xuequ_principal
                        USING (staff_id IN (SELECT xuequ_principal_staff()))', t);
    END LOOP;
END
$$;
CREATE POLICY cluster_office ON staff_ethics_record FOR SELECT TO xuequ_cluster_office
    USING (district_id = (SELECT xuequ_user_district()));

-- The annual grades the batch published for released periods, for teachers the caller may see.
-- SECURITY DEFINER: the caller's view of score_teacher is limited to results of their own units
-- (a principal's teacher placed at another school has their grade there), but the title rules
-- need the teacher's grade wherever it was given.
CREATE FUNCTION title_published_grades(ids bigint[])
RETURNS TABLE (staff_id bigint, school_year integer, grade evaluation_grade)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT t.staff_id, p.school_year::integer, t.grade
    FROM published_run r JOIN evaluation_period p ON p.period_id = r.period_id AND p.status = 'released'
    JOIN score_teacher t ON t.run_id = r.run_id AND t.period_id = r.period_id
    JOIN staff st ON st.staff_id = t.staff_id
    WHERE t.grade IS NOT NULL AND t.staff_id = ANY (ids)
      AND (xuequ_user_sees_all()
           OR (xuequ_user_role() IN ('hr', 'cluster_office') AND st.district_id = xuequ_user_district())
           OR (xuequ_user_role() = 'principal' AND t.staff_id IN (SELECT xuequ_principal_staff())))
$$;
REVOKE EXECUTE ON FUNCTION title_published_grades(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION title_published_grades(bigint[]) TO xuequ_hr, xuequ_cluster_office, xuequ_principal, xuequ_auditor, xuequ_batch;
