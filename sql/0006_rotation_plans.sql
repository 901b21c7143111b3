-- Xuequ 0006: rotation plans (交流轮岗方案) — the optimiser's candidate moves, stored plans with
-- their moves, penalties, pins and forbids, and a validator of every hard constraint of domain.md
-- §5 that reads the base tables itself (it shares nothing with the candidate query the optimiser
-- is built from).

CREATE TYPE rotation_plan_status AS ENUM ('draft', 'approved', 'executed', 'discarded');

CREATE TABLE rotation_plan (
    plan_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id    integer NOT NULL REFERENCES district,
    plan_year      smallint NOT NULL CHECK (plan_year BETWEEN 1990 AND 2100),
    reference_date date NOT NULL,
    status         rotation_plan_status NOT NULL DEFAULT 'draft',
    policy_version integer,                  -- NULL: the defaults
    solver         text,                     -- e.g. CBC 2.10.8
    solve_status   text CHECK (solve_status IN ('optimal', 'feasible', 'infeasible', 'no_solution')),
    objective      numeric,
    bound          numeric,
    gap            numeric,
    solve_seconds  numeric,
    model_columns  integer,
    model_rows     integer,
    infeasible_reason text,
    inputs         text,                     -- rotation_inputs() when last solved: approval needs it unchanged
    created_at     timestamptz NOT NULL DEFAULT now(),
    created_by     name NOT NULL DEFAULT current_user,
    decided_at     timestamptz,              -- approved / discarded
    decided_by     name,
    executed_at    timestamptz,
    executed_by    name
);
CREATE INDEX rotation_plan_district_idx ON rotation_plan (district_id, plan_year);
-- one approved or executed plan per district and year
CREATE UNIQUE INDEX rotation_plan_one_approved ON rotation_plan (district_id, plan_year) WHERE status IN ('approved', 'executed');

CREATE TABLE rotation_plan_move (
    plan_id        bigint NOT NULL REFERENCES rotation_plan ON DELETE CASCADE,
    staff_id       bigint NOT NULL REFERENCES staff,
    from_school_id integer NOT NULL REFERENCES school,
    to_school_id   integer NOT NULL REFERENCES school,
    subject_code   text COLLATE "C" NOT NULL REFERENCES subject,
    distance_km    numeric(8, 3) NOT NULL,
    direction_cost numeric NOT NULL,
    preference_cost numeric NOT NULL,
    wish_rank      smallint,
    is_key         boolean NOT NULL,
    pinned         boolean NOT NULL DEFAULT false,
    PRIMARY KEY (plan_id, staff_id)
);

-- The soft constraints a plan had to break, with their penalty.
CREATE TABLE rotation_plan_penalty (
    plan_id      bigint NOT NULL REFERENCES rotation_plan ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('unfilled', 'quota', 'key')),
    school_id    integer REFERENCES school,
    subject_code text COLLATE "C" REFERENCES subject,
    amount       numeric NOT NULL,
    penalty      numeric NOT NULL
);
CREATE INDEX rotation_plan_penalty_plan_idx ON rotation_plan_penalty (plan_id);

-- HR's pins (must happen) and forbids (must not) for a plan; kept across re-solves.
CREATE TABLE rotation_plan_rule (
    plan_id      bigint NOT NULL REFERENCES rotation_plan ON DELETE CASCADE,
    staff_id     bigint NOT NULL REFERENCES staff,
    school_id    integer NOT NULL REFERENCES school,
    subject_code text COLLATE "C" REFERENCES subject,  -- NULL: any subject at that school
    kind         text NOT NULL CHECK (kind IN ('pin', 'forbid')),
    reason       text CHECK (reason IS NULL OR length(reason) <= 500),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   name NOT NULL DEFAULT current_user,
    PRIMARY KEY (plan_id, staff_id, school_id, kind)
);

SELECT audit_attach('rotation_plan', ARRAY['plan_id']);
SELECT audit_attach('rotation_plan_move', ARRAY['plan_id', 'staff_id']);
SELECT audit_attach('rotation_plan_penalty', ARRAY['plan_id', 'kind', 'school_id', 'subject_code']);
SELECT audit_attach('rotation_plan_rule', ARRAY['plan_id', 'staff_id', 'school_id', 'kind']);

CREATE FUNCTION rotation_plan_status_zh(s rotation_plan_status) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE s WHEN 'draft' THEN '草案' WHEN 'approved' THEN '已批准' WHEN 'executed' THEN '已执行' ELSE '已作废' END
$$;

-- An approved, executed or discarded plan is never edited: its moves, penalties and rules are
-- frozen, and its own row only moves forward (draft → approved → executed, draft → discarded).
CREATE FUNCTION rotation_plan_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p bigint;
    s rotation_plan_status;
BEGIN
    -- both the plan a row leaves and the plan it joins must be drafts
    FOREACH p IN ARRAY ARRAY[CASE WHEN TG_OP <> 'INSERT' THEN OLD.plan_id END, CASE WHEN TG_OP <> 'DELETE' THEN NEW.plan_id END] LOOP
        CONTINUE WHEN p IS NULL;
        SELECT status INTO s FROM rotation_plan WHERE plan_id = p;
        IF s IS DISTINCT FROM 'draft' THEN
            RAISE EXCEPTION '方案 #% 已是“%”，不能修改', p, rotation_plan_status_zh(s)
                USING ERRCODE = 'object_not_in_prerequisite_state', DETAIL = format('plan #%s is %s and cannot be edited', p, s);
        END IF;
    END LOOP;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
-- A fingerprint of what HR declares for a district's plan year — openings, wishes, standing
-- exemptions, the policy version — so that a plan solved before one of them changed is not
-- approved as if it were still optimal.
CREATE FUNCTION rotation_inputs(p_district integer, p_year integer) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT md5(concat_ws('|',
        (SELECT string_agg(school_id || '/' || subject_code || '/' || openings, ',' ORDER BY school_id, subject_code)
         FROM rotation_opening WHERE district_id = p_district AND plan_year = p_year),
        (SELECT string_agg(staff_id || '/' || rank || '/' || school_id, ',' ORDER BY staff_id, rank)
         FROM rotation_wish WHERE district_id = p_district AND plan_year = p_year),
        (SELECT string_agg(exemption_id::text, ',' ORDER BY exemption_id)
         FROM rotation_exemption WHERE district_id = p_district AND plan_year = p_year AND revoked_at IS NULL),
        (SELECT max(version)::text FROM policy_document WHERE district_id = p_district AND school_year = p_year)))
$$;

CREATE TRIGGER rotation_plan_move_frozen BEFORE INSERT OR UPDATE OR DELETE ON rotation_plan_move
    FOR EACH ROW EXECUTE FUNCTION rotation_plan_frozen();
CREATE TRIGGER rotation_plan_penalty_frozen BEFORE INSERT OR UPDATE OR DELETE ON rotation_plan_penalty
    FOR EACH ROW EXECUTE FUNCTION rotation_plan_frozen();
CREATE TRIGGER rotation_plan_rule_frozen BEFORE INSERT OR UPDATE OR DELETE ON rotation_plan_rule
    FOR EACH ROW EXECUTE FUNCTION rotation_plan_frozen();

-- A plan's row: a draft changes freely (each solve rewrites its results); then only the legal
-- steps, each touching nothing but the status and who/when: draft → approved (only when solved
-- within the policy's gap and breaking no hard constraint) | discarded; approved → executed |
-- discarded. An executed or discarded plan never changes.
CREATE FUNCTION rotation_plan_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'draft' AND NEW.status = 'draft' THEN
        RETURN NEW;
    END IF;
    IF (OLD.status, NEW.status) NOT IN (('draft', 'approved'), ('draft', 'discarded'), ('approved', 'executed'), ('approved', 'discarded'))
       OR (NEW.plan_id, NEW.district_id, NEW.plan_year, NEW.reference_date, NEW.policy_version, NEW.solver, NEW.solve_status, NEW.objective,
           NEW.bound, NEW.gap, NEW.solve_seconds, NEW.model_columns, NEW.model_rows, NEW.inputs, NEW.created_at, NEW.created_by)
          IS DISTINCT FROM (OLD.plan_id, OLD.district_id, OLD.plan_year, OLD.reference_date, OLD.policy_version, OLD.solver, OLD.solve_status,
           OLD.objective, OLD.bound, OLD.gap, OLD.solve_seconds, OLD.model_columns, OLD.model_rows, OLD.inputs, OLD.created_at, OLD.created_by) THEN
        RAISE EXCEPTION '方案 #% 已是“%”，不能修改', OLD.plan_id, rotation_plan_status_zh(OLD.status)
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('plan #%s is %s: %s → %s is not a legal step', OLD.plan_id, OLD.status, OLD.status, NEW.status);
    END IF;
    IF NEW.status = 'approved' AND (NEW.solve_status NOT IN ('optimal', 'feasible')
            OR NEW.gap > coalesce(policy_value(NEW.district_id, NEW.plan_year, ARRAY['rotation', 'maxGap'])::numeric, 0.001)
            OR EXISTS (SELECT 1 FROM rotation_plan_violations(NEW.plan_id))) THEN
        RAISE EXCEPTION '方案 #% 未在允许的差距内求解或违反硬约束，不能批准', NEW.plan_id
            USING ERRCODE = 'check_violation', DETAIL = format('plan #%s is not solved within the gap or breaks a hard constraint', NEW.plan_id);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER rotation_plan_status_change BEFORE UPDATE ON rotation_plan
    FOR EACH ROW EXECUTE FUNCTION rotation_plan_status_change();
CREATE TRIGGER rotation_plan_no_delete BEFORE DELETE ON rotation_plan
    FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only('discard a plan instead of deleting it');

-- The candidate moves of a district's plan year (domain.md §5, §9): every eligible teacher ×
-- every opening (school, subject) with j ≠ home, the subject among the teacher's (primary ∪
-- qualified), a certificate for a stage the host covers, haversine(home, host) ≤ maxDistanceKm,
-- not forbidden by the plan's rules. Costs: distance + wDirection × max(0, tier(home) − tier(host))
-- + wPreference × (wish rank − 1, or maxWishes when not wished; 0 for a teacher without wishes).
-- Distances are computed once per pair of schools. Nested loops are off: the planner cannot see
-- how many rows the eligibility function and the CTEs hold, and a nested loop over the school
-- pairs went quadratic on a 20,000-teacher district.
CREATE FUNCTION rotation_candidates(p_district integer, p_year integer, p_plan bigint DEFAULT NULL)
RETURNS TABLE (staff_id bigint, home_school_id integer, to_school_id integer, subject_code text, distance_km numeric,
               direction_cost numeric, preference_cost numeric, wish_rank smallint, is_key boolean, primary_subject text)
LANGUAGE sql STABLE SET jit = off SET enable_nestloop = off AS $$
WITH w AS MATERIALIZED (
    SELECT coalesce(policy_value(p_district, p_year, ARRAY['rotation', 'maxDistanceKm'])::numeric, 25) AS max_km,
           coalesce(policy_value(p_district, p_year, ARRAY['rotation', 'wDirection'])::numeric, 10) AS w_direction,
           coalesce(policy_value(p_district, p_year, ARRAY['rotation', 'wPreference'])::numeric, 2) AS w_preference,
           coalesce(policy_value(p_district, p_year, ARRAY['rotation', 'maxWishes'])::int, 5) AS max_wishes,
           -- the years a new placement would run
           daterange(rotation_reference_date(p_district, p_year),
                     (rotation_reference_date(p_district, p_year)
                      + make_interval(years => coalesce(policy_value(p_district, p_year, ARRAY['rotation', 'placementYears'])::int, 3)))::date) AS span
), eligible AS MATERIALIZED (
    SELECT e.staff_id, e.school_id, e.is_key, st.primary_subject,
           ARRAY(SELECT c.stage FROM staff_stage_cert c WHERE c.staff_id = e.staff_id) AS certs,
           EXISTS (SELECT 1 FROM rotation_wish r WHERE r.staff_id = e.staff_id AND r.plan_year = p_year) AS has_wishes
    FROM rotation_eligibility(p_year) e JOIN staff st USING (staff_id)
    WHERE e.district_id = p_district AND e.outcome = 'eligible'
      -- a teacher already on (or approved for) a placement in those years cannot take another
      AND NOT EXISTS (SELECT 1 FROM assignment a, w WHERE a.staff_id = e.staff_id AND a.kind = 'placement'
                      AND a.status IN ('approved', 'active') AND a.valid && w.span)
), subjects AS (
    SELECT staff_id, primary_subject AS subject_code FROM eligible
    UNION
    SELECT q.staff_id, q.subject_code FROM staff_subject q JOIN eligible USING (staff_id)
), hosts AS MATERIALIZED (
    -- every (home, host) pair of the district within the distance, once: haversine, R = 6371.0 km
    SELECT h.school_id AS home, t.school_id AS host, t.stage AS host_stage,
           round(haversine_km(h.lat, h.lon, t.lat, t.lon)::numeric, 3) AS km, greatest(0, h.tier - t.tier) AS tier_drop
    FROM school h JOIN school t ON t.district_id = h.district_id AND t.school_id <> h.school_id, w
    WHERE h.district_id = p_district AND haversine_km(h.lat, h.lon, t.lat, t.lon) <= w.max_km
), wishes AS (
    -- the first maxWishes wishes count, ranked 1, 2, … in the teacher's order
    SELECT r.staff_id, r.school_id, rank() OVER (PARTITION BY r.staff_id ORDER BY r.rank) AS position
    FROM rotation_wish r JOIN eligible USING (staff_id) WHERE r.plan_year = p_year
)
SELECT e.staff_id, e.school_id, o.school_id, o.subject_code, hp.km,
       w.w_direction * hp.tier_drop,
       CASE WHEN NOT e.has_wishes THEN 0
            WHEN x.position <= w.max_wishes THEN w.w_preference * (x.position - 1)
            ELSE w.w_preference * w.max_wishes END,
       CASE WHEN x.position <= w.max_wishes THEN x.position::smallint END,
       e.is_key, e.primary_subject
FROM eligible e CROSS JOIN w
JOIN subjects s ON s.staff_id = e.staff_id
JOIN rotation_opening o ON o.district_id = p_district AND o.plan_year = p_year AND o.subject_code = s.subject_code
JOIN hosts hp ON hp.home = e.school_id AND hp.host = o.school_id
LEFT JOIN wishes x ON x.staff_id = e.staff_id AND x.school_id = o.school_id
WHERE e.certs && school_stage_covers(hp.host_stage)
  AND NOT EXISTS (SELECT 1 FROM rotation_plan_rule f WHERE f.plan_id = p_plan AND f.kind = 'forbid' AND f.staff_id = e.staff_id
                  AND f.school_id = o.school_id AND (f.subject_code IS NULL OR f.subject_code = o.subject_code))
$$;

-- Every hard constraint of domain.md §5 checked on a stored plan, from the base tables: one row
-- per violation. Independent of rotation_candidates() and rotation_eligibility() on purpose: it
-- re-derives eligibility, qualification, stage, distance, counts and pins itself.
CREATE FUNCTION isempty_multirange(m datemultirange) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT m = '{}'::datemultirange
$$;

CREATE FUNCTION rotation_plan_violations(p_plan bigint)
RETURNS TABLE (staff_id bigint, rule text, detail text)
LANGUAGE sql STABLE SET jit = off AS $$
WITH p AS (
    SELECT * FROM rotation_plan WHERE plan_id = p_plan
), m AS (
    SELECT mv.* FROM rotation_plan_move mv WHERE mv.plan_id = p_plan
)
-- the mover was eligible on the reference date D, re-derived here in another form than
-- rotation_eligibility(): 在岗 on D; no standing exemption; D + N years before retirement; no
-- placement with start ≤ D < end + cooldown; the days [D − N years, D] all spent at the home
-- school (in post there, for a principal or vice principal); under the age cap when it is on
SELECT m.staff_id, 'eligible', f.why FROM m CROSS JOIN p
JOIN staff st ON st.staff_id = m.staff_id
CROSS JOIN LATERAL (SELECT
    coalesce(policy_value(p.district_id, p.plan_year, ARRAY['rotation', 'minYearsAtSchool'])::int, 6) AS years,
    coalesce(policy_value(p.district_id, p.plan_year, ARRAY['rotation', 'minYearsAsLeader'])::int, 6) AS leader_years,
    coalesce(policy_value(p.district_id, p.plan_year, ARRAY['rotation', 'exemptYearsBeforeRetirement'])::int, 5) AS retirement_years,
    coalesce(policy_value(p.district_id, p.plan_year, ARRAY['rotation', 'cooldownYears'])::int, 3) AS cooldown,
    coalesce(policy_value(p.district_id, p.plan_year, ARRAY['rotation', 'ageCapsEnabled'])::boolean, false) AS caps,
    coalesce(policy_value(p.district_id, p.plan_year, ARRAY['rotation', 'maxAgeMale'])::int, 55) AS male_cap,
    coalesce(policy_value(p.district_id, p.plan_year, ARRAY['rotation', 'maxAgeFemale'])::int, 50) AS female_cap) n
CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM staff_post x WHERE x.staff_id = m.staff_id AND x.school_id = m.from_school_id
                                   AND x.post IN ('principal', 'vice_principal') AND x.valid @> p.reference_date) AS leader) l
CROSS JOIN LATERAL (VALUES (
    CASE
        WHEN NOT EXISTS (SELECT 1 FROM staff_status x WHERE x.staff_id = m.staff_id AND x.status = 'active' AND x.valid @> p.reference_date)
            THEN 'not 在岗 on the reference date'
        WHEN EXISTS (SELECT 1 FROM rotation_exemption x WHERE x.staff_id = m.staff_id AND x.plan_year = p.plan_year AND x.revoked_at IS NULL)
            THEN 'exempted by HR'
        WHEN st.retirement_on IS NOT NULL AND NOT ((p.reference_date + make_interval(years => n.retirement_years))::date < st.retirement_on)
            THEN 'within ' || n.retirement_years || ' years of retirement'
        WHEN EXISTS (SELECT 1 FROM assignment x WHERE x.staff_id = m.staff_id AND x.kind = 'placement'
                     AND x.status IN ('approved', 'active', 'ended') AND lower(x.valid) <= p.reference_date
                     AND p.reference_date < (upper(x.valid) + make_interval(years => n.cooldown))::date)
            THEN 'in the cooldown after a placement'
        WHEN NOT l.leader AND NOT isempty_multirange(
                datemultirange(daterange((p.reference_date - make_interval(years => n.years))::date, p.reference_date, '[]'))
                - coalesce((SELECT range_agg(x.valid) FROM staff_home_school x WHERE x.staff_id = m.staff_id AND x.school_id = m.from_school_id),
                           '{}'::datemultirange))
            THEN 'not ' || n.years || ' full years at the school'
        WHEN l.leader AND NOT isempty_multirange(
                datemultirange(daterange((p.reference_date - make_interval(years => n.leader_years))::date, p.reference_date, '[]'))
                - coalesce((SELECT range_agg(x.valid) FROM staff_post x WHERE x.staff_id = m.staff_id AND x.school_id = m.from_school_id
                            AND x.post IN ('principal', 'vice_principal')), '{}'::datemultirange))
            THEN 'not ' || n.leader_years || ' full years in post'
        WHEN n.caps AND extract(year FROM age(p.reference_date, st.birth_date)) >= CASE st.gender WHEN 'male' THEN n.male_cap ELSE n.female_cap END
            THEN 'over the age cap'
    END)) f(why)
WHERE f.why IS NOT NULL
UNION ALL
-- from the home school on the reference date, to another school of the same district
SELECT m.staff_id, 'home', 'from ' || m.from_school_id || ' to ' || m.to_school_id FROM m, p
WHERE NOT EXISTS (SELECT 1 FROM staff_home_school h WHERE h.staff_id = m.staff_id AND h.school_id = m.from_school_id
                  AND h.valid @> p.reference_date)
   OR m.from_school_id = m.to_school_id
   OR (SELECT district_id FROM school WHERE school_id = m.to_school_id) <> p.district_id
UNION ALL
-- qualified for the subject: primary or qualified
SELECT m.staff_id, 'subject', m.subject_code FROM m
WHERE NOT EXISTS (SELECT 1 FROM staff s WHERE s.staff_id = m.staff_id AND s.primary_subject = m.subject_code)
  AND NOT EXISTS (SELECT 1 FROM staff_subject s WHERE s.staff_id = m.staff_id AND s.subject_code = m.subject_code)
UNION ALL
-- a certificate for a stage the host covers
SELECT m.staff_id, 'stage', t.stage::text FROM m JOIN school t ON t.school_id = m.to_school_id
WHERE NOT EXISTS (SELECT 1 FROM staff_stage_cert c WHERE c.staff_id = m.staff_id
                  AND c.stage::text IN (SELECT unnest(CASE t.stage WHEN 'primary' THEN ARRAY['primary']
                                                                   WHEN 'junior' THEN ARRAY['junior']
                                                                   WHEN 'senior' THEN ARRAY['senior']
                                                                   WHEN 'nine_year' THEN ARRAY['primary', 'junior']
                                                                   WHEN 'twelve_year' THEN ARRAY['primary', 'junior', 'senior']
                                                                   WHEN 'complete_middle' THEN ARRAY['junior', 'senior'] END)))
UNION ALL
-- within the distance (haversine written out again, R = 6371.0 km)
SELECT m.staff_id, 'distance', round(d.km::numeric, 3)::text FROM m
JOIN school a ON a.school_id = m.from_school_id JOIN school b ON b.school_id = m.to_school_id, p,
LATERAL (SELECT 2 * 6371.0 * asin(sqrt(power(sin(radians((b.lat - a.lat)::float8) / 2), 2)
                + cos(radians(a.lat::float8)) * cos(radians(b.lat::float8)) * power(sin(radians((b.lon - a.lon)::float8) / 2), 2))) AS km) d
WHERE d.km > coalesce(policy_value(p.district_id, p.plan_year, ARRAY['rotation', 'maxDistanceKm'])::numeric, 25) + 1e-9
UNION ALL
-- an opening exists and receives at most its count (each teacher moves at most once: the key of
-- rotation_plan_move)
SELECT NULL, 'opening', m.to_school_id || '/' || m.subject_code || ': ' || count(*) || ' movers, ' || coalesce(o.openings, 0) || ' openings'
FROM m CROSS JOIN p
LEFT JOIN rotation_opening o ON o.plan_year = p.plan_year AND o.school_id = m.to_school_id AND o.subject_code = m.subject_code
GROUP BY m.to_school_id, m.subject_code, o.openings
HAVING count(*) > coalesce(o.openings, 0)
UNION ALL
-- no (home school, primary subject) group loses more than floor(share × its 在岗 size)
SELECT NULL, 'subject_loss', g.school_id || '/' || g.subject || ': ' || g.movers || ' of ' || g.size
FROM (SELECT h.school_id, st.primary_subject AS subject, count(*) AS size,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM m WHERE m.staff_id = st.staff_id)) AS movers,
             max(coalesce(policy_value(p.district_id, p.plan_year, ARRAY['rotation', 'maxSubjectLossShare'])::numeric, 0.5)) AS share
      FROM p, staff st JOIN staff_home_school h ON h.staff_id = st.staff_id
      JOIN staff_status ss ON ss.staff_id = st.staff_id
      WHERE h.valid @> p.reference_date AND ss.valid @> p.reference_date AND ss.status = 'active' AND st.district_id = p.district_id
      GROUP BY h.school_id, st.primary_subject) g
WHERE g.movers > floor(g.share * g.size)
UNION ALL
-- pins happen; forbidden moves don't
SELECT r.staff_id, 'pin', r.school_id::text FROM rotation_plan_rule r
WHERE r.plan_id = p_plan AND r.kind = 'pin'
  AND NOT EXISTS (SELECT 1 FROM m WHERE m.staff_id = r.staff_id AND m.to_school_id = r.school_id
                  AND (r.subject_code IS NULL OR r.subject_code = m.subject_code))
UNION ALL
SELECT r.staff_id, 'forbid', r.school_id::text FROM rotation_plan_rule r JOIN m ON m.staff_id = r.staff_id AND m.to_school_id = r.school_id
    AND (r.subject_code IS NULL OR r.subject_code = m.subject_code)
WHERE r.plan_id = p_plan AND r.kind = 'forbid'
$$;
