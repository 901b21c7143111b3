-- Xuequ 0001: the organisation and its staff, with dated histories and an append-only audit log.
--
-- Conventions
--   * Surrogate integer keys for joins; natural keys (codes, staff numbers) are UNIQUE and are what
--     CSV files and people use. Codes compare in code-point order (COLLATE "C").
--   * Every fact table carries district_id, kept consistent with its parent by composite foreign
--     keys, so data can later be sharded by district and row-level security can filter on it.
--   * Dated ranges are daterange [start, end); overlapping ranges of one person are refused by
--     EXCLUDE constraints (btree_gist).
--   * A school year Y runs from September 1 of Y to August 31 of Y+1.
--   * Enum values are English keys; the CLI shows the Chinese words.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- ---------------------------------------------------------------------------------------------
-- Vocabulary
-- ---------------------------------------------------------------------------------------------

CREATE TYPE school_stage AS ENUM (
    'primary',          -- 小学
    'junior',           -- 初中
    'senior',           -- 高中
    'nine_year',        -- 九年一贯 (小学 + 初中)
    'twelve_year',      -- 十二年一贯 (小学 + 初中 + 高中)
    'complete_middle'   -- 完全中学 (初中 + 高中)
);

-- The stages a teacher's certificate (教师资格证) covers.
CREATE TYPE cert_stage AS ENUM ('primary', 'junior', 'senior');

CREATE TYPE education_level AS ENUM (
    'secondary',   -- 中专/中师
    'associate',   -- 大专
    'bachelor',    -- 本科
    'master',      -- 硕士
    'doctorate'    -- 博士
);

-- Ordered: comparisons between title levels are meaningful.
CREATE TYPE title_level AS ENUM (
    'third',       -- 三级
    'second',      -- 二级
    'first',       -- 一级
    'senior',      -- 高级
    'full_senior'  -- 正高级
);

-- Ordered from the lowest key-teacher level to the highest.
CREATE TYPE key_level AS ENUM (
    'school',          -- 校级骨干
    'district',        -- 区级骨干
    'municipal',       -- 市级骨干
    'subject_leader',  -- 学科带头人
    'special'          -- 特级教师
);

CREATE TYPE employment_status AS ENUM (
    'active',     -- 在岗
    'sick',       -- 病假
    'maternity',  -- 产假
    'seconded',   -- 借调
    'left',       -- 离职
    'retired'     -- 退休
);

CREATE TYPE gender AS ENUM ('male', 'female');

-- Leadership posts held at a school (a teacher without a post row is an ordinary teacher).
CREATE TYPE leader_post AS ENUM (
    'principal',       -- 校长
    'vice_principal',  -- 副校长
    'middle'           -- 中层
);

CREATE TYPE group_kind AS ENUM ('group', 'alliance');  -- 教育集团 / 联盟

-- The stages a school of each kind covers (九年一贯 = 小学+初中 …).
CREATE FUNCTION school_stage_covers(s school_stage) RETURNS cert_stage[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE s
        WHEN 'primary' THEN ARRAY['primary']::cert_stage[]
        WHEN 'junior' THEN ARRAY['junior']::cert_stage[]
        WHEN 'senior' THEN ARRAY['senior']::cert_stage[]
        WHEN 'nine_year' THEN ARRAY['primary', 'junior']::cert_stage[]
        WHEN 'twelve_year' THEN ARRAY['primary', 'junior', 'senior']::cert_stage[]
        WHEN 'complete_middle' THEN ARRAY['junior', 'senior']::cert_stage[]
    END
$$;

-- One person's dated range as a box: x is the person, y the days [start, end - 1] (end exclusive;
-- an open end reaches far ahead). Two boxes overlap exactly when the same person's ranges overlap.
-- EXCLUDE on these boxes uses the native gist box index, measured 2× faster on inserts than
-- btree_gist's (bigint =, daterange &&), which made bulk imports of histories slow.
CREATE FUNCTION person_period(person bigint, valid daterange) RETURNS box
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT box(point(person, lower(valid) - date '1900-01-01'),
               point(person, CASE WHEN upper_inf(valid) THEN 1e9 ELSE upper(valid) - date '1900-01-01' - 1 END))
$$;

-- A dated range of a person's history: [start, end), started, within 1900–2300 (an open end is
-- allowed; ±infinity bounds are not).
CREATE FUNCTION is_history_period(valid daterange) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT NOT isempty(valid) AND NOT lower_inf(valid) AND lower(valid) >= date '1900-01-01'
           AND (upper_inf(valid) OR upper(valid) <= date '2300-01-01')
$$;

-- Spreadsheet safety for CSV exports: a cell that a spreadsheet would run as a formula
-- (=, +, -, @, tab, CR first) gets a leading apostrophe, unless it is a plain number.
CREATE FUNCTION csv_safe(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v ~ '^[=+@\t\r-]' AND v !~ '^[+-]?[0-9]+(\.[0-9]+)?$' THEN '''' || v ELSE v END
$$;

CREATE TABLE subject (
    code    text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[a-z][a-z_]{1,30}$'),
    name_zh text NOT NULL UNIQUE CHECK (name_zh <> ''),
    name_en text NOT NULL CHECK (name_en <> '')
);

INSERT INTO subject (code, name_zh, name_en) VALUES
    ('chinese', '语文', 'Chinese'),
    ('math', '数学', 'Mathematics'),
    ('english', '英语', 'English'),
    ('physics', '物理', 'Physics'),
    ('chemistry', '化学', 'Chemistry'),
    ('biology', '生物', 'Biology'),
    ('history', '历史', 'History'),
    ('geography', '地理', 'Geography'),
    ('politics', '道德与法治', 'Morality and Law'),
    ('science', '科学', 'Science'),
    ('it', '信息技术', 'Information Technology'),
    ('music', '音乐', 'Music'),
    ('art', '美术', 'Art'),
    ('pe', '体育', 'Physical Education'),
    ('psychology', '心理健康', 'Mental Health'),
    ('labour', '劳动', 'Labour');

-- ---------------------------------------------------------------------------------------------
-- Organisation
-- ---------------------------------------------------------------------------------------------

CREATE TABLE district (
    district_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text COLLATE "C" NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Za-z_-]{1,32}$'),
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100)
);

-- 学区: a cluster of schools inside one district.
CREATE TABLE cluster (
    cluster_id  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id integer NOT NULL REFERENCES district,
    code        text COLLATE "C" NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Za-z_-]{1,32}$'),
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    UNIQUE (district_id, name),
    UNIQUE (cluster_id, district_id)
);

CREATE TABLE school (
    school_id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id integer NOT NULL REFERENCES district,
    cluster_id  integer,
    code        text COLLATE "C" NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Za-z_-]{1,32}$'),
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    stage       school_stage NOT NULL,
    tier        smallint NOT NULL CHECK (tier BETWEEN 1 AND 3),  -- 1 优质, 2 普通, 3 薄弱
    rural       boolean NOT NULL DEFAULT false,
    lat         numeric(8, 6) NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon         numeric(9, 6) NOT NULL CHECK (lon BETWEEN -180 AND 180),
    UNIQUE (school_id, district_id),
    -- a school's 学区 lies in the school's own district
    FOREIGN KEY (cluster_id, district_id) REFERENCES cluster (cluster_id, district_id)
);
CREATE INDEX school_district_idx ON school (district_id);
CREATE INDEX school_cluster_idx ON school (cluster_id);

CREATE TABLE campus (
    campus_id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id   integer NOT NULL,
    district_id integer NOT NULL,
    code        text COLLATE "C" NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,32}$'),
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    lat         numeric(8, 6) NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon         numeric(9, 6) NOT NULL CHECK (lon BETWEEN -180 AND 180),
    UNIQUE (school_id, code),
    FOREIGN KEY (school_id, district_id) REFERENCES school (school_id, district_id) ON UPDATE CASCADE
);

-- 教育集团 / 联盟: schools that share staff; may span 学区 (but not districts).
CREATE TABLE edu_group (
    group_id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id integer NOT NULL REFERENCES district,
    code        text COLLATE "C" NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Za-z_-]{1,32}$'),
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    kind        group_kind NOT NULL DEFAULT 'group',
    UNIQUE (group_id, district_id)
);

CREATE TABLE edu_group_member (
    group_id    integer NOT NULL,
    school_id   integer NOT NULL,
    district_id integer NOT NULL,
    joined_on   date NOT NULL,
    PRIMARY KEY (group_id, school_id),
    FOREIGN KEY (group_id, district_id) REFERENCES edu_group (group_id, district_id),
    FOREIGN KEY (school_id, district_id) REFERENCES school (school_id, district_id)
);
CREATE INDEX edu_group_member_school_idx ON edu_group_member (school_id);

-- ---------------------------------------------------------------------------------------------
-- Staff
-- ---------------------------------------------------------------------------------------------

CREATE TABLE staff (
    staff_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id       integer NOT NULL REFERENCES district,
    staff_no          text COLLATE "C" NOT NULL UNIQUE CHECK (staff_no ~ '^[0-9A-Za-z_-]{1,32}$'),
    name              text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 50),
    gender            gender NOT NULL,
    birth_date        date NOT NULL CHECK (birth_date BETWEEN '1930-01-01' AND '2015-12-31'),
    first_employed_on date NOT NULL,                       -- 参加工作时间
    education         education_level,                     -- NULL: no education record
    primary_subject   text COLLATE "C" NOT NULL REFERENCES subject,
    retirement_on     date,                                -- expected retirement date (data, not formula)
    homeroom_years    smallint CHECK (homeroom_years BETWEEN 0 AND 60),  -- 班主任 years to date; NULL: unknown
    UNIQUE (staff_id, district_id),
    CHECK (first_employed_on >= birth_date + interval '14 years'),
    CHECK (retirement_on IS NULL OR retirement_on > birth_date + interval '40 years')
);
CREATE INDEX staff_district_idx ON staff (district_id);

-- Subjects a teacher is qualified to teach besides the primary one.
CREATE TABLE staff_subject (
    staff_id     bigint NOT NULL,
    district_id  integer NOT NULL,
    subject_code text COLLATE "C" NOT NULL REFERENCES subject,
    PRIMARY KEY (staff_id, subject_code),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE
);

-- Stage certificates (教师资格证 by stage).
CREATE TABLE staff_stage_cert (
    staff_id    bigint NOT NULL,
    district_id integer NOT NULL,
    stage       cert_stage NOT NULL,
    PRIMARY KEY (staff_id, stage),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE
);

-- 编制所在学校: the home school, dated. The open range (no end) is the current home school.
CREATE TABLE staff_home_school (
    staff_id    bigint NOT NULL,
    district_id integer NOT NULL,
    school_id   integer NOT NULL REFERENCES school,
    valid       daterange NOT NULL CHECK (is_history_period(valid)),
    PRIMARY KEY (staff_id, valid),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT staff_home_school_no_overlap EXCLUDE USING gist (person_period(staff_id, valid) WITH &&)
);
CREATE INDEX staff_home_school_school_idx ON staff_home_school (school_id) WHERE upper_inf(valid);

-- Titles (职称): each level obtained once, dated.
CREATE TABLE staff_title (
    staff_id    bigint NOT NULL,
    district_id integer NOT NULL,
    level       title_level NOT NULL,
    obtained_on date NOT NULL,
    PRIMARY KEY (staff_id, level),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE
);

-- Key-teacher (骨干) levels, dated.
CREATE TABLE staff_key_level (
    staff_id    bigint NOT NULL,
    district_id integer NOT NULL,
    level       key_level NOT NULL,
    valid       daterange NOT NULL CHECK (is_history_period(valid)),
    PRIMARY KEY (staff_id, valid),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT staff_key_level_no_overlap EXCLUDE USING gist (person_period(staff_id, valid) WITH &&)
);

-- Employment status (在岗, 病假 …), dated.
CREATE TABLE staff_status (
    staff_id    bigint NOT NULL,
    district_id integer NOT NULL,
    status      employment_status NOT NULL,
    valid       daterange NOT NULL CHECK (is_history_period(valid)),
    PRIMARY KEY (staff_id, valid),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT staff_status_no_overlap EXCLUDE USING gist (person_period(staff_id, valid) WITH &&)
);

-- Leadership posts (校长, 副校长, 中层) at a school, dated. One person may lead two schools at once
-- (一长执两校), but holds one post at a time per school.
CREATE TABLE staff_post (
    staff_id    bigint NOT NULL,
    district_id integer NOT NULL,
    school_id   integer NOT NULL REFERENCES school,
    post        leader_post NOT NULL,
    valid       daterange NOT NULL CHECK (is_history_period(valid)),
    PRIMARY KEY (staff_id, school_id, valid),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT staff_post_no_overlap EXCLUDE USING gist (staff_id WITH =, school_id WITH =, valid WITH &&)
);
CREATE INDEX staff_post_school_idx ON staff_post (school_id);

-- School years in which the person was 班主任 (homeroom teacher).
CREATE TABLE staff_homeroom_year (
    staff_id    bigint NOT NULL,
    district_id integer NOT NULL,
    school_year smallint NOT NULL CHECK (school_year BETWEEN 1950 AND 2100),
    PRIMARY KEY (staff_id, school_year),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE
);

-- 继续教育学时: continuing-education hours, dated.
CREATE TABLE staff_training (
    staff_id    bigint NOT NULL,
    district_id integer NOT NULL,
    taken_on    date NOT NULL,
    course      text NOT NULL CHECK (btrim(course) <> '' AND length(course) <= 200),
    hours       numeric(5, 1) NOT NULL CHECK (hours > 0 AND hours <= 500),
    PRIMARY KEY (staff_id, taken_on, course),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE
);

-- 师德 violation records, dated.
CREATE TABLE staff_ethics_record (
    staff_id    bigint NOT NULL,
    district_id integer NOT NULL,
    occurred_on date NOT NULL,
    description text NOT NULL CHECK (btrim(description) <> '' AND length(description) <= 500),
    PRIMARY KEY (staff_id, occurred_on, description),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE
);

-- Home teaching load: periods per week at the home school in a school year.
CREATE TABLE staff_home_load (
    staff_id         bigint NOT NULL,
    district_id      integer NOT NULL,
    school_year      smallint NOT NULL CHECK (school_year BETWEEN 1950 AND 2100),
    periods_per_week smallint NOT NULL CHECK (periods_per_week BETWEEN 0 AND 40),
    PRIMARY KEY (staff_id, school_year),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE
);

-- The current state of each person, read by the CLI and later by the batch.
-- Each person as of today: the home school, title, key level and status in force on
-- current_date (a range that starts in the future is not current yet).
CREATE VIEW staff_current AS
SELECT s.*,
       h.school_id       AS home_school_id,
       lower(h.valid)    AS home_since,
       t.level           AS title,
       t.obtained_on     AS title_since,
       k.level           AS key_level,
       lower(k.valid)    AS key_since,
       st.status         AS status,
       lower(st.valid)   AS status_since
FROM staff s
LEFT JOIN staff_home_school h ON h.staff_id = s.staff_id AND h.valid @> current_date
LEFT JOIN LATERAL (SELECT level, obtained_on FROM staff_title x
                   WHERE x.staff_id = s.staff_id AND x.obtained_on <= current_date
                   ORDER BY level DESC LIMIT 1) t ON true
LEFT JOIN staff_key_level k ON k.staff_id = s.staff_id AND k.valid @> current_date
LEFT JOIN staff_status st ON st.staff_id = s.staff_id AND st.valid @> current_date;

-- ---------------------------------------------------------------------------------------------
-- Audit log: append-only, filled by statement-level triggers (transition tables, so a bulk import
-- of 100,000 rows costs one INSERT … SELECT, not 100,000 trigger calls).
-- ---------------------------------------------------------------------------------------------

CREATE TABLE audit_log (
    audit_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor      name NOT NULL DEFAULT current_user,   -- the database role that made the change
    session_actor name NOT NULL DEFAULT session_user,
    txid       bigint NOT NULL DEFAULT txid_current(),
    table_name name NOT NULL,
    op         char(1) NOT NULL CHECK (op IN ('I', 'U', 'D')),
    row_key    jsonb NOT NULL,
    old_row    jsonb,
    new_row    jsonb,
    CHECK ((op = 'I') = (old_row IS NULL) AND (op = 'D') = (new_row IS NULL))
);
-- No index on row_key: at bulk-import rates a jsonb btree cost more than the audit row itself
-- (measured 1.7 s per 100,000 rows); lookups by key come with the audit viewer.
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- For append-only tables: refuses UPDATE, DELETE and TRUNCATE. TG_ARGV[0]: a hint for the person.
CREATE FUNCTION refuse_change_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege', HINT = coalesce(TG_ARGV[0], '');
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only('the audit log records every change and cannot itself be changed');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_append_only('the audit log records every change and cannot itself be changed');

-- TG_ARGV: the table's primary-key columns, used as row_key and to pair old and new rows of an
-- UPDATE. An UPDATE that changes a key (closing a dated range changes its daterange key) is logged
-- as the deletion of the old row and the insertion of the new one, so no change goes unrecorded.
CREATE FUNCTION audit_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keycols text[] := TG_ARGV;
    keyexpr text;
    joincond text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT string_agg(format('%L, r.%I', c, c), ', ') INTO keyexpr FROM unnest(keycols) c;
        EXECUTE format('INSERT INTO audit_log (table_name, op, row_key, new_row)
                        SELECT %L, ''I'', jsonb_build_object(%s), to_jsonb(r) FROM audit_new r',
                       TG_TABLE_NAME, keyexpr);
    ELSIF TG_OP = 'DELETE' THEN
        SELECT string_agg(format('%L, r.%I', c, c), ', ') INTO keyexpr FROM unnest(keycols) c;
        EXECUTE format('INSERT INTO audit_log (table_name, op, row_key, old_row)
                        SELECT %L, ''D'', jsonb_build_object(%s), to_jsonb(r) FROM audit_old r',
                       TG_TABLE_NAME, keyexpr);
    ELSE
        SELECT string_agg(format('%L, COALESCE(r.%I, o.%I)', c, c, c), ', '),
               string_agg(format('o.%I = r.%I', c, c), ' AND ')
          INTO keyexpr, joincond
          FROM unnest(keycols) c;
        EXECUTE format('INSERT INTO audit_log (table_name, op, row_key, old_row, new_row)
                        SELECT %L,
                               CASE WHEN o IS NULL THEN ''I'' WHEN r IS NULL THEN ''D'' ELSE ''U'' END,
                               jsonb_build_object(%s), to_jsonb(o), to_jsonb(r)
                        FROM audit_old o FULL JOIN audit_new r ON %s
                        WHERE to_jsonb(o) IS DISTINCT FROM to_jsonb(r)',
                       TG_TABLE_NAME, keyexpr, joincond);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'TRUNCATE of % is refused: it would bypass the audit log', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege', HINT = 'delete the rows instead, so the audit log records them';
END
$$;

-- Attach the audit triggers to a person-edited table.
CREATE FUNCTION audit_attach(tbl regclass, keycols text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    args text := (SELECT string_agg(quote_literal(c), ', ') FROM unnest(keycols) c);
    t text := tbl::text;
    base text := (SELECT relname FROM pg_class WHERE oid = tbl);
BEGIN
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS audit_new
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_capture(%s)', base || '_audit_i', t, args);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS audit_old NEW TABLE AS audit_new
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_capture(%s)', base || '_audit_u', t, args);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS audit_old
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_capture(%s)', base || '_audit_d', t, args);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %s
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()', base || '_no_truncate', t);
END
$$;

SELECT audit_attach('district', ARRAY['district_id']);
SELECT audit_attach('cluster', ARRAY['cluster_id']);
SELECT audit_attach('school', ARRAY['school_id']);
SELECT audit_attach('campus', ARRAY['campus_id']);
SELECT audit_attach('edu_group', ARRAY['group_id']);
SELECT audit_attach('edu_group_member', ARRAY['group_id', 'school_id']);
SELECT audit_attach('subject', ARRAY['code']);
SELECT audit_attach('staff', ARRAY['staff_id']);
SELECT audit_attach('staff_subject', ARRAY['staff_id', 'subject_code']);
SELECT audit_attach('staff_stage_cert', ARRAY['staff_id', 'stage']);
SELECT audit_attach('staff_home_school', ARRAY['staff_id', 'valid']);
SELECT audit_attach('staff_title', ARRAY['staff_id', 'level']);
SELECT audit_attach('staff_key_level', ARRAY['staff_id', 'valid']);
SELECT audit_attach('staff_status', ARRAY['staff_id', 'valid']);
SELECT audit_attach('staff_post', ARRAY['staff_id', 'school_id', 'valid']);
SELECT audit_attach('staff_homeroom_year', ARRAY['staff_id', 'school_year']);
SELECT audit_attach('staff_training', ARRAY['staff_id', 'taken_on', 'course']);
SELECT audit_attach('staff_ethics_record', ARRAY['staff_id', 'occurred_on', 'description']);
SELECT audit_attach('staff_home_load', ARRAY['staff_id', 'school_year']);
