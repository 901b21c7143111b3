-- Xuequ 0007: performance evaluation (绩效考核, domain.md §6, §8, §9).
--
--   * people and access: application users, each acting as their own PostgreSQL login role, members
--     of one group role per kind of user; row-level security decides what each may read and write
--   * evaluation periods (open → closed → released) and the principals' scores
--   * the nightly batch's runs and its published results, one set per run, kept for history

-- ---------------------------------------------------------------------------------------------
-- Group roles. Roles belong to the whole PostgreSQL cluster, so they may already exist (another
-- database of the same cluster, or a concurrent migration of a test database).
-- ---------------------------------------------------------------------------------------------

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['xuequ_hr', 'xuequ_cluster_office', 'xuequ_principal', 'xuequ_auditor', 'xuequ_batch'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- created meanwhile by another session
            END;
        END IF;
    END LOOP;
END
$$;

CREATE TYPE app_role AS ENUM (
    'hr',              -- 区教委人事科: the whole district
    'cluster_office',  -- 学区管理中心: reads its 学区
    'principal',       -- 校长 / 副校长: enters evaluations for their school(s)
    'auditor',         -- 督导: reads everything, changes nothing
    'batch'            -- the nightly job: reads everything, writes derived tables only
);

CREATE FUNCTION app_role_group(r app_role) RETURNS name LANGUAGE sql IMMUTABLE AS $$
    SELECT ('xuequ_' || r::text)::name
$$;

CREATE FUNCTION app_role_zh(r app_role) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE r WHEN 'hr' THEN '区教委人事科' WHEN 'cluster_office' THEN '学区管理中心' WHEN 'principal' THEN '校长'
                  WHEN 'auditor' THEN '督导' WHEN 'batch' THEN '夜间批处理' END
$$;

-- One row per person (or job) who uses Xuequ; `login` is their PostgreSQL role.
CREATE TABLE app_user (
    login        name PRIMARY KEY CHECK (login ~ '^[a-z][a-z0-9_]{1,62}$'),
    role         app_role NOT NULL,
    display_name text NOT NULL CHECK (btrim(display_name) <> '' AND length(display_name) <= 50),
    district_id  integer REFERENCES district,   -- NULL only for auditors and the batch (all districts)
    cluster_id   integer,
    staff_id     bigint REFERENCES staff,       -- the person's own staff record, if any
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   name NOT NULL DEFAULT session_user,
    revoked_at   timestamptz,
    revoked_by   name,
    UNIQUE (login, district_id),
    FOREIGN KEY (cluster_id, district_id) REFERENCES cluster (cluster_id, district_id),
    CHECK (role IN ('auditor', 'batch') OR district_id IS NOT NULL),
    CHECK ((role = 'cluster_office') = (cluster_id IS NOT NULL)),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- The schools a principal leads (一长执两校: one or more), in the principal's district.
CREATE TABLE app_user_school (
    login       name NOT NULL,
    district_id integer NOT NULL,
    school_id   integer NOT NULL,
    PRIMARY KEY (login, school_id),
    FOREIGN KEY (login, district_id) REFERENCES app_user (login, district_id) ON DELETE CASCADE,
    FOREIGN KEY (school_id, district_id) REFERENCES school (school_id, district_id)
);
CREATE INDEX app_user_school_school_idx ON app_user_school (school_id);

SELECT audit_attach('app_user', ARRAY['login']);
SELECT audit_attach('app_user_school', ARRAY['login', 'school_id']);

-- The caller's scope, for the row-level security policies. SECURITY DEFINER: they read app_user,
-- which the caller may not. Inside a SECURITY DEFINER function current_user is the function's
-- owner, so the caller is identified by session_user: the login role, which stays the same when a
-- user SETs ROLE to their group role. A revoked user has no scope at all. Policies call them as
-- `(SELECT f())`, so they run once per statement, not once per row.
CREATE FUNCTION xuequ_user_district() RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT district_id FROM app_user WHERE login = session_user AND revoked_at IS NULL
$$;
CREATE FUNCTION xuequ_user_role() RETURNS app_role LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT role FROM app_user WHERE login = session_user AND revoked_at IS NULL
$$;
CREATE FUNCTION xuequ_user_cluster() RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT cluster_id FROM app_user WHERE login = session_user AND revoked_at IS NULL
$$;
CREATE FUNCTION xuequ_user_schools() RETURNS integer[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(array_agg(s.school_id ORDER BY s.school_id), '{}')
    FROM app_user u JOIN app_user_school s USING (login)
    WHERE u.login = session_user AND u.revoked_at IS NULL AND u.role = 'principal'
$$;
CREATE FUNCTION xuequ_user_staff() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT staff_id FROM app_user WHERE login = session_user AND revoked_at IS NULL
$$;
CREATE FUNCTION xuequ_user_cluster_schools() RETURNS integer[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(array_agg(s.school_id ORDER BY s.school_id), '{}')
    FROM app_user u JOIN school s ON s.cluster_id = u.cluster_id
    WHERE u.login = session_user AND u.revoked_at IS NULL AND u.role = 'cluster_office'
$$;

-- Whether the caller may see a school's records: a superuser, the database owner, an auditor or
-- the batch (all); HR (its district); a 学区 office (its 学区's schools); a principal (their schools).
CREATE FUNCTION xuequ_user_sees_all() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)
        OR pg_has_role(session_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER')
        OR EXISTS (SELECT 1 FROM app_user WHERE login = session_user AND revoked_at IS NULL AND role IN ('auditor', 'batch'))
$$;
CREATE FUNCTION xuequ_user_may_see_school(p_school integer, p_district integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT xuequ_user_sees_all()
        OR EXISTS (SELECT 1 FROM app_user u WHERE u.login = session_user AND u.revoked_at IS NULL AND (
               (u.role = 'hr' AND u.district_id = p_district)
            OR (u.role = 'cluster_office' AND EXISTS (SELECT 1 FROM school s WHERE s.school_id = p_school AND s.cluster_id = u.cluster_id))
            OR (u.role = 'principal' AND EXISTS (SELECT 1 FROM app_user_school x WHERE x.login = u.login AND x.school_id = p_school))))
$$;

-- ---------------------------------------------------------------------------------------------
-- Evaluation periods and scores
-- ---------------------------------------------------------------------------------------------

CREATE TYPE evaluation_period_status AS ENUM ('open', 'closed', 'released');

CREATE FUNCTION evaluation_period_status_zh(s evaluation_period_status) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE s WHEN 'open' THEN '录入中' WHEN 'closed' THEN '已截止' WHEN 'released' THEN '已公布' END
$$;

-- A district's evaluation period: a school year (Sept 1 – Aug 31) by default. Its rubric is the
-- district's policy for that school year (`evaluation.rubric`), which cannot change once scores exist.
CREATE TABLE evaluation_period (
    period_id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id integer NOT NULL REFERENCES district,
    school_year smallint NOT NULL CHECK (school_year BETWEEN 1950 AND 2100),
    starts_on   date NOT NULL,
    ends_on     date NOT NULL,
    status      evaluation_period_status NOT NULL DEFAULT 'open',
    opened_at   timestamptz NOT NULL DEFAULT now(),
    closed_at   timestamptz,
    released_at timestamptz,
    UNIQUE (district_id, school_year),
    UNIQUE (period_id, district_id),
    CHECK (ends_on >= starts_on AND ends_on < starts_on + 400)
);

-- open ⇄ closed → released; a released period is final.
CREATE FUNCTION evaluation_period_status_legal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = OLD.status THEN
        RETURN NEW;
    END IF;
    IF (OLD.status, NEW.status) NOT IN (('open'::evaluation_period_status, 'closed'::evaluation_period_status),
                                        ('closed', 'open'), ('closed', 'released')) THEN
        RAISE EXCEPTION '考核周期 %（%）现为“%”，不能改为“%”', OLD.period_id, OLD.school_year,
            evaluation_period_status_zh(OLD.status), evaluation_period_status_zh(NEW.status)
            USING ERRCODE = 'check_violation', CONSTRAINT = 'evaluation_period_status',
                  DETAIL = format('period %s (%s) is %s and cannot become %s', OLD.period_id, OLD.school_year, OLD.status, NEW.status),
                  HINT = 'open → closed → released; a closed period may be reopened';
    END IF;
    IF NEW.status = 'closed' THEN NEW.closed_at := now(); END IF;
    IF NEW.status = 'released' THEN NEW.released_at := now(); END IF;
    IF NEW.status = 'open' THEN NEW.closed_at := NULL; END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER evaluation_period_status_legal BEFORE UPDATE ON evaluation_period
    FOR EACH ROW EXECUTE FUNCTION evaluation_period_status_legal();
SELECT audit_attach('evaluation_period', ARRAY['period_id']);

-- The evaluator-scored dimensions of a district's rubric for a school year (latest policy version;
-- the defaults of domain.md §6 when the district has no policy).
CREATE FUNCTION evaluation_dimensions(p_district integer, p_school_year integer)
RETURNS TABLE (key text, name_zh text, weight numeric, source text, veto boolean, ord integer)
LANGUAGE sql STABLE AS $$
    SELECT d ->> 'key', d ->> 'nameZh', (d ->> 'weight')::numeric, d ->> 'source', (d ->> 'veto')::boolean, n::integer
    FROM jsonb_array_elements(coalesce(policy_value(p_district, p_school_year, ARRAY['evaluation', 'rubric']),
        '[{"key":"ethics","nameZh":"师德表现","weight":20,"source":"evaluators","veto":true},
          {"key":"workload","nameZh":"教育教学工作量","weight":20,"source":"computed","veto":false},
          {"key":"teaching","nameZh":"教学效果","weight":30,"source":"evaluators","veto":false},
          {"key":"care","nameZh":"育人与班主任工作","weight":15,"source":"evaluators","veto":false},
          {"key":"growth","nameZh":"教研与专业发展","weight":15,"source":"evaluators","veto":false}]'::jsonb))
         WITH ORDINALITY e(d, n)
$$;

-- One evaluator's score of one dimension for one teacher at one school. `evaluator` is the
-- principal's login (or, for scores HR imports from paper forms, the evaluator's name).
CREATE TABLE evaluation (
    period_id   integer NOT NULL,
    district_id integer NOT NULL,
    staff_id    bigint NOT NULL,
    school_id   integer NOT NULL REFERENCES school,
    evaluator   text COLLATE "C" NOT NULL DEFAULT session_user CHECK (evaluator ~ '^[^\s,;]{1,63}$'),
    dimension   text COLLATE "C" NOT NULL,
    score       numeric NOT NULL CHECK (score BETWEEN 0 AND 100 AND scale(score) <= 1),
    comment     text CHECK (length(comment) <= 500),
    entered_at  timestamptz NOT NULL DEFAULT now(),
    entered_by  name NOT NULL DEFAULT session_user,
    PRIMARY KEY (period_id, staff_id, school_id, evaluator, dimension),
    FOREIGN KEY (period_id, district_id) REFERENCES evaluation_period (period_id, district_id),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id)
);
CREATE INDEX evaluation_school_idx ON evaluation (period_id, school_id);
SELECT audit_attach('evaluation', ARRAY['period_id', 'staff_id', 'school_id', 'evaluator', 'dimension']);

-- What is wrong with evaluation rows (any number at once): the period must be open, the dimension
-- an evaluator-scored one of the period's rubric, and the teacher must have taught at the school
-- in the period. `key` names the row for the person: 工号/学校代码/评价人/维度.
CREATE FUNCTION evaluation_breaks(rows evaluation[])
RETURNS TABLE (key text, rule text, message_zh text, message_en text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    WITH r AS (
        -- only rows within the caller's scope: the function runs as its owner and must not tell a
        -- caller about teachers or schools they may not see
        SELECT x.*, st.staff_no, sc.code AS school_code, p.school_year, p.starts_on, p.ends_on, p.status AS period_status,
               st.staff_no || '/' || sc.code || '/' || x.evaluator || '/' || x.dimension AS row_key
        FROM unnest(rows) x JOIN staff st USING (staff_id) JOIN school sc USING (school_id)
        JOIN evaluation_period p ON p.period_id = x.period_id
        WHERE xuequ_user_may_see_school(x.school_id, x.district_id)
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

REVOKE EXECUTE ON FUNCTION evaluation_breaks(evaluation[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION evaluation_breaks(evaluation[]) TO xuequ_hr, xuequ_cluster_office, xuequ_principal, xuequ_auditor, xuequ_batch;

CREATE FUNCTION evaluation_check_statement() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    rows evaluation[];
    breaks jsonb;
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
    SELECT array_agg(n) INTO rows FROM new_rows n;
    SELECT jsonb_agg(jsonb_build_object('rule', b.rule, 'zh', b.key || '：' || b.message_zh, 'en', b.key || ': ' || b.message_en)
                     ORDER BY b.key, b.rule) INTO breaks
    FROM (SELECT * FROM evaluation_breaks(rows) LIMIT 50) b;
    PERFORM raise_rule_breaks(breaks, 'evaluation_rule_');
    RETURN NULL;
END
$$;
CREATE TRIGGER evaluation_check_insert AFTER INSERT ON evaluation REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION evaluation_check_statement();
CREATE TRIGGER evaluation_check_update AFTER UPDATE ON evaluation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION evaluation_check_statement();
CREATE TRIGGER evaluation_check_delete AFTER DELETE ON evaluation REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION evaluation_check_statement();

-- A new policy version may not change the rubric of a school year whose period already has scores.
CREATE FUNCTION policy_rubric_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    previous jsonb;
    scored bigint;
BEGIN
    SELECT body -> 'evaluation' -> 'rubric' INTO previous FROM policy_document
    WHERE district_id = NEW.district_id AND school_year = NEW.school_year ORDER BY version DESC LIMIT 1;
    IF previous IS NULL OR previous = NEW.body -> 'evaluation' -> 'rubric' THEN
        RETURN NEW;
    END IF;
    SELECT count(*) INTO scored FROM evaluation e JOIN evaluation_period p USING (period_id)
    WHERE p.district_id = NEW.district_id AND p.school_year = NEW.school_year;
    IF scored > 0 THEN
        RAISE EXCEPTION '% 学年考核周期已有 % 条评分，考核方案（evaluation.rubric）不能再改', NEW.school_year, scored
            USING ERRCODE = 'check_violation', CONSTRAINT = 'policy_rubric_frozen',
                  DETAIL = format('the %s evaluation period already has %s scores: its rubric (evaluation.rubric) cannot change', NEW.school_year, scored),
                  HINT = 'keep evaluation.rubric as it is; other numbers may still change';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER policy_rubric_frozen BEFORE INSERT ON policy_document
    FOR EACH ROW EXECUTE FUNCTION policy_rubric_frozen();

-- 奖励性绩效 pools: HR's amount per assessment unit (school) and period, in fen.
CREATE TABLE incentive_pool (
    period_id   integer NOT NULL,
    district_id integer NOT NULL,
    school_id   integer NOT NULL,
    pool_fen    bigint NOT NULL CHECK (pool_fen BETWEEN 0 AND 100000000000),
    PRIMARY KEY (period_id, school_id),
    FOREIGN KEY (period_id, district_id) REFERENCES evaluation_period (period_id, district_id),
    FOREIGN KEY (school_id, district_id) REFERENCES school (school_id, district_id)
);
SELECT audit_attach('incentive_pool', ARRAY['period_id', 'school_id']);

-- ---------------------------------------------------------------------------------------------
-- The nightly batch: runs and their results. Every result row carries its run; `published_run`
-- points each district at the run whose results readers see. A run publishes by inserting its
-- rows and moving the pointers in one transaction, so readers see the old results or the new.
-- ---------------------------------------------------------------------------------------------

CREATE TYPE nightly_status AS ENUM ('running', 'succeeded', 'partial', 'failed', 'abandoned');

CREATE TABLE nightly_run (
    run_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    as_of       date NOT NULL,
    districts   integer[] NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    status      nightly_status NOT NULL DEFAULT 'running',
    exit_code   smallint,
    run_by      name NOT NULL DEFAULT session_user,
    host_pid    integer NOT NULL DEFAULT pg_backend_pid(),
    inputs      jsonb NOT NULL DEFAULT '{}',   -- rows read, by input
    outputs     jsonb NOT NULL DEFAULT '{}',   -- rows written, by table
    stages      jsonb NOT NULL DEFAULT '[]',   -- [{"stage": …, "ms": …}] in order
    message     text,
    CHECK ((status = 'running') = (finished_at IS NULL))
);

-- The run whose results readers see, per district and period. A period is scored every night until
-- it is released; its last run before the release stays published from then on.
CREATE TABLE published_run (
    district_id  integer NOT NULL REFERENCES district,
    period_id    integer NOT NULL REFERENCES evaluation_period,
    run_id       bigint NOT NULL REFERENCES nightly_run,
    published_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (district_id, period_id)
);

CREATE TYPE scoring_status AS ENUM ('graded', 'incomplete', 'no_workload');
CREATE TYPE evaluation_grade AS ENUM ('fail', 'basic_pass', 'pass', 'excellent');  -- 不合格 基本合格 合格 优秀

CREATE FUNCTION evaluation_grade_zh(g evaluation_grade) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE g WHEN 'fail' THEN '不合格' WHEN 'basic_pass' THEN '基本合格' WHEN 'pass' THEN '合格' WHEN 'excellent' THEN '优秀' END
$$;

-- The result tables are written only by the batch, a run at a time, with COPY; they carry no
-- foreign keys (a check per row would cost more than the COPY itself at 1.4 million rows) and
-- are checked as a whole by score_run_violations() before the run is published.

-- One teacher's result in one run and period.
CREATE TABLE score_teacher (
    run_id           bigint NOT NULL,
    period_id        integer NOT NULL,
    district_id      integer NOT NULL,
    staff_id         bigint NOT NULL,
    unit_school_id   integer NOT NULL,
    status           scoring_status NOT NULL,
    weighted_periods numeric NOT NULL,
    homeroom         boolean NOT NULL,
    workload_score   numeric NOT NULL,
    rotation_bonus   numeric NOT NULL,
    total            numeric(5, 2),
    grade            evaluation_grade,
    reason           text,
    provisional      boolean NOT NULL DEFAULT false,
    excellent_rank   integer,
    pay_share        numeric,
    pay_fen          bigint,
    PRIMARY KEY (run_id, period_id, staff_id),
    CHECK ((status = 'graded') = (grade IS NOT NULL AND total IS NOT NULL))
);
CREATE INDEX score_teacher_unit_idx ON score_teacher (run_id, period_id, unit_school_id);

-- Combined dimension scores (exact values rounded to 6 decimals for display).
CREATE TABLE score_dimension (
    run_id    bigint NOT NULL,
    period_id integer NOT NULL,
    staff_id  bigint NOT NULL,
    dimension text COLLATE "C" NOT NULL,
    score     numeric NOT NULL,
    PRIMARY KEY (run_id, period_id, staff_id, dimension)
);

-- Where a teacher's scores came from: each school's workload share, and each school's average
-- per dimension over its evaluators.
CREATE TABLE score_school (
    run_id      bigint NOT NULL,
    period_id   integer NOT NULL,
    staff_id    bigint NOT NULL,
    school_id   integer NOT NULL,
    period_days numeric NOT NULL,
    share       numeric NOT NULL,
    PRIMARY KEY (run_id, period_id, staff_id, school_id)
);
CREATE TABLE score_part (
    run_id     bigint NOT NULL,
    period_id  integer NOT NULL,
    staff_id   bigint NOT NULL,
    school_id  integer NOT NULL,
    dimension  text COLLATE "C" NOT NULL,
    mean       numeric NOT NULL,
    evaluators integer NOT NULL,
    PRIMARY KEY (run_id, period_id, staff_id, school_id, dimension)
);
CREATE TABLE score_missing (
    run_id    bigint NOT NULL,
    period_id integer NOT NULL,
    staff_id  bigint NOT NULL,
    school_id integer NOT NULL,
    dimension text COLLATE "C" NOT NULL,
    PRIMARY KEY (run_id, period_id, staff_id, school_id, dimension)
);

-- One assessment unit's grades and pay in one run and period.
CREATE TABLE score_unit (
    run_id           bigint NOT NULL,
    period_id        integer NOT NULL,
    district_id      integer NOT NULL,
    unit_school_id   integer NOT NULL,
    graded           integer NOT NULL,
    incomplete       integer NOT NULL,
    no_workload      integer NOT NULL,
    quota            integer NOT NULL,
    candidates       integer NOT NULL,
    excellent        integer NOT NULL,
    pass             integer NOT NULL,
    basic_pass       integer NOT NULL,
    fail             integer NOT NULL,
    pending          boolean NOT NULL,
    tie_total        numeric(5, 2),
    tie_staff_ids    bigint[] NOT NULL DEFAULT '{}',
    pool_fen         bigint,
    allocated_fen    bigint NOT NULL,
    undistributed_fen bigint NOT NULL,
    PRIMARY KEY (run_id, period_id, unit_school_id),
    CHECK (excellent <= quota)
);

-- Independent check of a run's numbers, in SQL: every allocated unit's amounts add up to its pool,
-- no unit has more 优秀 than floor(excellentShare × graded), the unit rows agree with the teacher
-- rows, every detail row belongs to a teacher row. The batch refuses to publish a run with any row
-- here; tests call it too.
-- (Nested loops off: a run checked before its rows are analysed looks like one row per table to
-- the planner, and nested loops over 130,000 teachers then took 35 s instead of 0.8 s.)
CREATE FUNCTION score_run_violations(p_run bigint)
RETURNS TABLE (unit_school_id integer, problem text) LANGUAGE sql STABLE SET enable_nestloop = off AS $$
    WITH t AS (
        SELECT t.period_id, t.unit_school_id, count(*) FILTER (WHERE t.status = 'graded') AS graded,
               count(*) FILTER (WHERE t.grade = 'excellent') AS excellent,
               coalesce(sum(t.pay_fen), 0) AS paid, count(t.pay_fen) AS paid_rows
        FROM score_teacher t WHERE t.run_id = p_run GROUP BY t.period_id, t.unit_school_id
    ), share AS (
        SELECT u.period_id, u.unit_school_id,
               coalesce(policy_value(u.district_id, p.school_year, ARRAY['evaluation', 'excellentShare'])::numeric, 0.20) AS excellent_share
        FROM score_unit u JOIN evaluation_period p USING (period_id) WHERE u.run_id = p_run
    )
    SELECT u.unit_school_id, 'graded ' || u.graded || ' but ' || coalesce(t.graded, 0) || ' teacher rows are graded'
    FROM score_unit u LEFT JOIN t USING (period_id, unit_school_id) WHERE u.run_id = p_run AND u.graded <> coalesce(t.graded, 0)
    UNION ALL
    SELECT u.unit_school_id, coalesce(t.excellent, 0) || ' 优秀 exceed floor(' || s.excellent_share || ' × ' || u.graded || ')'
    FROM score_unit u JOIN share s USING (period_id, unit_school_id) LEFT JOIN t USING (period_id, unit_school_id)
    WHERE u.run_id = p_run AND coalesce(t.excellent, 0) > floor(s.excellent_share * u.graded)
    UNION ALL
    SELECT u.unit_school_id, 'pay adds up to ' || coalesce(t.paid, 0) || ' fen, pool ' || u.pool_fen || ' (undistributed ' || u.undistributed_fen || ')'
    FROM score_unit u LEFT JOIN t USING (period_id, unit_school_id)
    WHERE u.run_id = p_run AND u.pool_fen IS NOT NULL AND NOT u.pending
      AND coalesce(t.paid, 0) + u.undistributed_fen <> u.pool_fen
    UNION ALL
    SELECT u.unit_school_id, 'pending unit has ' || t.paid_rows || ' pay amounts'
    FROM score_unit u JOIN t USING (period_id, unit_school_id)
    WHERE u.run_id = p_run AND (u.pending OR u.pool_fen IS NULL) AND t.paid_rows > 0
    UNION ALL
    SELECT t.unit_school_id, 'teacher ' || t.staff_id || ' has no unit row'
    FROM score_teacher t WHERE t.run_id = p_run
      AND NOT EXISTS (SELECT 1 FROM score_unit u WHERE u.run_id = p_run AND u.period_id = t.period_id AND u.unit_school_id = t.unit_school_id)
    UNION ALL
    SELECT NULL, x.kind || ' row of staff ' || x.staff_id || ' has no teacher row'
    FROM (SELECT 'dimension' AS kind, period_id, staff_id FROM score_dimension WHERE run_id = p_run
          UNION ALL SELECT 'school', period_id, staff_id FROM score_school WHERE run_id = p_run
          UNION ALL SELECT 'part', period_id, staff_id FROM score_part WHERE run_id = p_run
          UNION ALL SELECT 'missing', period_id, staff_id FROM score_missing WHERE run_id = p_run) x
    WHERE NOT EXISTS (SELECT 1 FROM score_teacher t WHERE t.run_id = p_run AND t.period_id = x.period_id AND t.staff_id = x.staff_id)
$$;

-- ---------------------------------------------------------------------------------------------
-- Privileges and row-level security
-- ---------------------------------------------------------------------------------------------

-- Organisation data (districts, 学区, schools, campuses, groups, subjects, periods, policy) is
-- readable by every application role.
GRANT SELECT ON district, cluster, school, campus, edu_group, edu_group_member, subject, policy_document,
                evaluation_period, nightly_run, published_run, schema_migration
    TO xuequ_hr, xuequ_cluster_office, xuequ_principal, xuequ_auditor, xuequ_batch;

-- HR staff: read and edit the person data of their district (row-level security scopes what has
-- a district); the audit log is read-only; derived tables are the batch's.
GRANT SELECT, INSERT, UPDATE, DELETE ON
    district, cluster, school, campus, edu_group, edu_group_member, subject, staff, staff_subject, staff_stage_cert,
    staff_home_school, staff_title, staff_key_level, staff_status, staff_post, staff_homeroom_year, staff_training,
    staff_ethics_record, staff_home_load, assignment, assignment_slot, rotation_exemption, rotation_opening,
    rotation_wish, rotation_plan, rotation_plan_move, rotation_plan_penalty, rotation_plan_rule, evaluation_period,
    evaluation, incentive_pool
    TO xuequ_hr;
GRANT SELECT ON app_user, app_user_school TO xuequ_hr;
GRANT SELECT, INSERT ON policy_document, assignment_event TO xuequ_hr;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO xuequ_hr, xuequ_cluster_office, xuequ_principal, xuequ_batch;

-- 学区 office: reads its district's people and results, proposes cross-school work.
GRANT SELECT ON staff, staff_subject, staff_stage_cert, staff_home_school, staff_title, staff_key_level, staff_status,
                staff_post, staff_homeroom_year, staff_home_load, assignment, assignment_slot, assignment_event, evaluation
    TO xuequ_cluster_office;

-- Principals: their schools' staff, and scores; everyone reads their own user row.
GRANT SELECT ON staff TO xuequ_principal;
GRANT SELECT ON app_user, app_user_school TO xuequ_principal, xuequ_cluster_office;
GRANT SELECT, INSERT, UPDATE, DELETE ON evaluation TO xuequ_principal;

-- Auditors and the batch read everything.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO xuequ_auditor, xuequ_batch;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO xuequ_auditor, xuequ_batch;

-- The audit triggers write the log as its owner (SECURITY DEFINER, with a search_path that a
-- session's temporary tables cannot shadow), so no application role may write to it directly;
-- the actor is the login (session_user), which a definer function still sees.
ALTER TABLE audit_log ALTER COLUMN actor SET DEFAULT session_user;
ALTER FUNCTION audit_capture() SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp;
REVOKE ALL ON audit_log FROM PUBLIC;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON audit_log TO xuequ_hr, xuequ_cluster_office, xuequ_principal, xuequ_batch;
CREATE POLICY audit_read ON audit_log FOR SELECT TO xuequ_auditor USING (true);
-- HR reads the log of its own district's rows (and its own edits)
CREATE POLICY audit_read_district ON audit_log FOR SELECT TO xuequ_hr
    USING (coalesce((new_row ->> 'district_id')::integer, (old_row ->> 'district_id')::integer) = (SELECT xuequ_user_district())
           OR session_actor = session_user);
-- everyone reads what their own transaction wrote (an import counts its changes from it)
CREATE POLICY audit_read_own_transaction ON audit_log FOR SELECT TO xuequ_cluster_office, xuequ_principal, xuequ_batch
    USING (txid = txid_current() AND session_actor = session_user);

-- The batch writes only its derived tables.
GRANT INSERT, UPDATE ON nightly_run, published_run TO xuequ_batch;
GRANT INSERT ON score_teacher, score_dimension, score_school, score_part, score_missing, score_unit TO xuequ_batch;
GRANT SELECT ON score_teacher, score_dimension, score_school, score_part, score_missing, score_unit
    TO xuequ_hr, xuequ_cluster_office, xuequ_principal;
GRANT EXECUTE ON FUNCTION score_run_violations(bigint) TO xuequ_batch;

-- Row-level security on the person data and the results.
ALTER TABLE staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE staff_ethics_record ENABLE ROW LEVEL SECURITY;
ALTER TABLE evaluation ENABLE ROW LEVEL SECURITY;
ALTER TABLE incentive_pool ENABLE ROW LEVEL SECURITY;
ALTER TABLE app_user ENABLE ROW LEVEL SECURITY;
ALTER TABLE app_user_school ENABLE ROW LEVEL SECURITY;
ALTER TABLE score_teacher ENABLE ROW LEVEL SECURITY;
ALTER TABLE score_dimension ENABLE ROW LEVEL SECURITY;
ALTER TABLE score_school ENABLE ROW LEVEL SECURITY;
ALTER TABLE score_part ENABLE ROW LEVEL SECURITY;
ALTER TABLE score_missing ENABLE ROW LEVEL SECURITY;
ALTER TABLE score_unit ENABLE ROW LEVEL SECURITY;

-- Auditors and the batch read every row; HR reads and writes its own district's.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['staff', 'staff_ethics_record', 'evaluation', 'incentive_pool', 'app_user', 'app_user_school',
                             'score_teacher', 'score_dimension', 'score_school', 'score_part', 'score_missing', 'score_unit'] LOOP
        EXECUTE format('CREATE POLICY read_all ON %I FOR SELECT TO xuequ_auditor, xuequ_batch USING (true)', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['staff', 'staff_ethics_record', 'evaluation', 'incentive_pool', 'app_user', 'app_user_school'] LOOP
        EXECUTE format('CREATE POLICY hr_district ON %I FOR ALL TO xuequ_hr
                        USING (district_id = (SELECT xuequ_user_district())) WITH CHECK (district_id = (SELECT xuequ_user_district()))', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['score_teacher', 'score_dimension', 'score_school', 'score_part', 'score_missing'] LOOP
        EXECUTE format('CREATE POLICY batch_write ON %I FOR INSERT TO xuequ_batch WITH CHECK (true)', t);
    END LOOP;
END
$$;
CREATE POLICY batch_write ON score_unit FOR INSERT TO xuequ_batch WITH CHECK (true);

-- HR reads the results of its district; a principal reads the results of their own units once
-- the district has released the period (teachers and principals see nothing before).
CREATE POLICY hr_district ON score_teacher FOR SELECT TO xuequ_hr USING (district_id = (SELECT xuequ_user_district()));
CREATE POLICY hr_district ON score_unit FOR SELECT TO xuequ_hr USING (district_id = (SELECT xuequ_user_district()));
CREATE POLICY principal_released ON score_teacher FOR SELECT TO xuequ_principal
    USING (unit_school_id = ANY (coalesce((SELECT xuequ_user_schools()), '{}'))
           AND EXISTS (SELECT 1 FROM evaluation_period p WHERE p.period_id = score_teacher.period_id AND p.status = 'released'));
CREATE POLICY principal_released ON score_unit FOR SELECT TO xuequ_principal
    USING (unit_school_id = ANY (coalesce((SELECT xuequ_user_schools()), '{}'))
           AND EXISTS (SELECT 1 FROM evaluation_period p WHERE p.period_id = score_unit.period_id AND p.status = 'released'));
CREATE POLICY cluster_office ON score_unit FOR SELECT TO xuequ_cluster_office
    USING (unit_school_id = ANY (coalesce((SELECT xuequ_user_cluster_schools()), '{}')));
CREATE POLICY cluster_office ON score_teacher FOR SELECT TO xuequ_cluster_office
    USING (unit_school_id = ANY (coalesce((SELECT xuequ_user_cluster_schools()), '{}')));
DO $$
DECLARE
    t text;
BEGIN
    -- detail rows follow their teacher row's visibility
    FOREACH t IN ARRAY ARRAY['score_dimension', 'score_school', 'score_part', 'score_missing'] LOOP
        EXECUTE format('CREATE POLICY follows_teacher ON %I FOR SELECT TO xuequ_hr, xuequ_principal, xuequ_cluster_office
                        USING (EXISTS (SELECT 1 FROM score_teacher t WHERE t.run_id = %I.run_id AND t.period_id = %I.period_id
                                                                        AND t.staff_id = %I.staff_id))', t, t, t, t);
    END LOOP;
END
$$;

-- A user sees their own row; HR reads its district's users (policy above; only the owner adds them).
CREATE POLICY own_row ON app_user FOR SELECT TO xuequ_principal, xuequ_cluster_office USING (login = session_user);
CREATE POLICY own_row ON app_user_school FOR SELECT TO xuequ_principal USING (login = session_user);

-- The staff a principal may read: those who taught at one of their schools during one of their
-- district's evaluation periods, or teach there today.
CREATE FUNCTION xuequ_principal_staff() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    WITH mine AS (
        SELECT unnest(xuequ_user_schools()) AS school_id
    ), spans AS (
        SELECT daterange(p.starts_on, p.ends_on, '[]') AS r FROM evaluation_period p WHERE p.district_id = xuequ_user_district()
        UNION ALL SELECT daterange(current_date, current_date, '[]')
    )
    SELECT h.staff_id FROM staff_home_school h JOIN mine USING (school_id) JOIN spans s ON h.valid && s.r
    UNION
    SELECT a.staff_id FROM assignment a JOIN mine m ON m.school_id = a.host_school_id JOIN spans s ON a.valid && s.r
    WHERE a.status IN ('approved', 'active', 'ended')
$$;
CREATE POLICY principal_schools ON staff FOR SELECT TO xuequ_principal
    USING (staff_id IN (SELECT xuequ_principal_staff()));
CREATE POLICY cluster_office ON staff FOR SELECT TO xuequ_cluster_office USING (district_id = (SELECT xuequ_user_district()));

-- Evaluations: a principal reads their schools' scores and writes only their own, at their own
-- schools, in their login's name (evaluation_check_statement adds: open period, rubric dimension, taught there).
CREATE POLICY principal_read ON evaluation FOR SELECT TO xuequ_principal
    USING (school_id = ANY (coalesce((SELECT xuequ_user_schools()), '{}')));
CREATE POLICY principal_insert ON evaluation FOR INSERT TO xuequ_principal
    WITH CHECK (staff_id IS DISTINCT FROM (SELECT xuequ_user_staff()) AND school_id = ANY (coalesce((SELECT xuequ_user_schools()), '{}')) AND evaluator = session_user AND entered_by = session_user);
CREATE POLICY principal_update ON evaluation FOR UPDATE TO xuequ_principal
    USING (school_id = ANY (coalesce((SELECT xuequ_user_schools()), '{}')) AND evaluator = session_user)
    WITH CHECK (staff_id IS DISTINCT FROM (SELECT xuequ_user_staff()) AND school_id = ANY (coalesce((SELECT xuequ_user_schools()), '{}')) AND evaluator = session_user AND entered_by = session_user);
CREATE POLICY principal_delete ON evaluation FOR DELETE TO xuequ_principal
    USING (school_id = ANY (coalesce((SELECT xuequ_user_schools()), '{}')) AND evaluator = session_user);
CREATE POLICY cluster_office ON evaluation FOR SELECT TO xuequ_cluster_office
    USING (school_id = ANY (coalesce((SELECT xuequ_user_cluster_schools()), '{}')));

-- ---------------------------------------------------------------------------------------------
-- What evaluators still owe
-- ---------------------------------------------------------------------------------------------


-- For one period, every (school, teacher, dimension) for which a school that holds a share of the
-- teacher's workload has no score yet, within the caller's scope (a principal: their schools; HR
-- and 学区 offices: their district or 学区). SECURITY DEFINER: the workload records it reads are
-- not the caller's to read directly.
CREATE FUNCTION evaluation_owed(p_period integer, p_on date)
RETURNS TABLE (school_id integer, staff_id bigint, dimension text, share numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET jit = off AS $$
    WITH p AS (
        SELECT * FROM evaluation_period WHERE period_id = p_period
    ), shares AS (
        SELECT w.* FROM p, workload_shares(p.starts_on, p.ends_on) w
        WHERE w.share > 0
          -- 离职/退休 teachers are not evaluated (status on the as-of date, or the period's end)
          AND NOT EXISTS (SELECT 1 FROM staff_status x WHERE x.staff_id = w.staff_id AND x.valid @> least(p_on, p.ends_on)
                                                         AND x.status IN ('left', 'retired'))
    ), dims AS (
        SELECT d.key, d.ord FROM p, evaluation_dimensions(p.district_id, p.school_year) d WHERE d.source = 'evaluators'
    )
    SELECT s.school_id, s.staff_id, d.key, s.share
    FROM shares s CROSS JOIN dims d
    WHERE xuequ_user_may_see_school(s.school_id, (SELECT district_id FROM p))
      AND NOT EXISTS (SELECT 1 FROM evaluation e WHERE e.period_id = p_period AND e.staff_id = s.staff_id
                                                   AND e.school_id = s.school_id AND e.dimension = d.key)
$$;
REVOKE EXECUTE ON FUNCTION evaluation_owed(integer, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION evaluation_owed(integer, date) TO xuequ_hr, xuequ_cluster_office, xuequ_principal, xuequ_auditor, xuequ_batch;

-- ---------------------------------------------------------------------------------------------
-- Every other table that carries a district: HR writes only its own district's rows; the batch,
-- auditors and 学区 offices read (a 学区 office its district); the organisation tables, the
-- periods and the policy are readable by everyone who may read them at all.
-- ---------------------------------------------------------------------------------------------

DO $$
DECLARE
    t text;
    org text[] := ARRAY['district', 'cluster', 'school', 'campus', 'edu_group', 'edu_group_member', 'evaluation_period', 'policy_document'];
BEGIN
    FOR t IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'district_id' AND NOT a.attisdropped
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT c.relrowsecurity
          AND c.relname NOT IN ('published_run', 'score_teacher', 'score_unit')
        ORDER BY 1
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY hr_district ON %I FOR ALL TO xuequ_hr
                        USING (district_id = (SELECT xuequ_user_district())) WITH CHECK (district_id = (SELECT xuequ_user_district()))', t);
        IF t = ANY (org) THEN
            EXECUTE format('CREATE POLICY read_any ON %I FOR SELECT USING (true)', t);
        ELSE
            EXECUTE format('CREATE POLICY read_all ON %I FOR SELECT TO xuequ_auditor, xuequ_batch USING (true)', t);
            EXECUTE format('CREATE POLICY cluster_office ON %I FOR SELECT TO xuequ_cluster_office
                            USING (district_id = (SELECT xuequ_user_district()))', t);
        END IF;
    END LOOP;
END
$$;

-- PL/pgSQL functions (the triggers and rule checks) resolve table names with a search_path that a
-- session's temporary tables cannot shadow. (SQL functions keep theirs: a SET clause would stop
-- PostgreSQL from inlining the small helpers into the queries that call them.)
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
        WHERE n.nspname = 'public' AND l.lanname = 'plpgsql'
          AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) c WHERE c LIKE 'search_path=%')
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', f);
    END LOOP;
END
$$;
