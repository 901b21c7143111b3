-- Xuequ 0005: rotation (交流轮岗) inputs — manual exemptions, openings, wishes — and eligibility as
-- of a plan's reference date (domain.md §5, §9), set-based for a whole district.

-- An exemption HR granted for one plan year, with reason and approver. Never deleted: revoking
-- records who revoked it, when and why.
CREATE TABLE rotation_exemption (
    exemption_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id   integer NOT NULL,
    staff_id      bigint NOT NULL,
    plan_year     smallint NOT NULL CHECK (plan_year BETWEEN 1990 AND 2100),
    reason        text NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 500),
    approved_by   text NOT NULL CHECK (btrim(approved_by) <> '' AND length(approved_by) <= 100),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    name NOT NULL DEFAULT current_user,
    revoked_at    timestamptz,
    revoked_by    name,
    revoke_reason text CHECK (revoke_reason IS NULL OR (btrim(revoke_reason) <> '' AND length(revoke_reason) <= 500)),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL) AND (revoked_at IS NULL) = (revoke_reason IS NULL)),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE
);
-- one standing exemption per teacher and year
CREATE UNIQUE INDEX rotation_exemption_standing ON rotation_exemption (staff_id, plan_year) WHERE revoked_at IS NULL;

-- An exemption is granted and revoked, never edited or deleted.
CREATE FUNCTION rotation_exemption_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '豁免记录不能删除，只能撤销' USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'an exemption cannot be deleted, only revoked';
    END IF;
    IF OLD.revoked_at IS NOT NULL
       OR (NEW.exemption_id, NEW.district_id, NEW.staff_id, NEW.plan_year, NEW.reason, NEW.approved_by, NEW.created_at, NEW.created_by)
          IS DISTINCT FROM (OLD.exemption_id, OLD.district_id, OLD.staff_id, OLD.plan_year, OLD.reason, OLD.approved_by, OLD.created_at, OLD.created_by) THEN
        RAISE EXCEPTION '豁免记录只能撤销一次，其他内容不能修改' USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'an exemption can only be revoked, once; nothing else changes';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER rotation_exemption_guard BEFORE UPDATE OR DELETE ON rotation_exemption
    FOR EACH ROW EXECUTE FUNCTION rotation_exemption_guard();
SELECT audit_attach('rotation_exemption', ARRAY['exemption_id']);

-- Openings HR declares for a plan year: (host school, subject) → how many teachers it takes.
CREATE TABLE rotation_opening (
    district_id  integer NOT NULL,
    plan_year    smallint NOT NULL CHECK (plan_year BETWEEN 1990 AND 2100),
    school_id    integer NOT NULL,
    subject_code text COLLATE "C" NOT NULL REFERENCES subject,
    openings     smallint NOT NULL CHECK (openings BETWEEN 1 AND 500),
    PRIMARY KEY (plan_year, school_id, subject_code),
    FOREIGN KEY (school_id, district_id) REFERENCES school (school_id, district_id)
);
CREATE INDEX rotation_opening_district_idx ON rotation_opening (district_id, plan_year);
SELECT audit_attach('rotation_opening', ARRAY['plan_year', 'school_id', 'subject_code']);

-- A teacher's ranked wishes for a plan year (rank 1 = most wanted).
CREATE TABLE rotation_wish (
    staff_id    bigint NOT NULL,
    district_id integer NOT NULL,
    plan_year   smallint NOT NULL CHECK (plan_year BETWEEN 1990 AND 2100),
    rank        smallint NOT NULL CHECK (rank BETWEEN 1 AND 20),
    school_id   integer NOT NULL,
    PRIMARY KEY (staff_id, plan_year, rank),
    UNIQUE (staff_id, plan_year, school_id),
    FOREIGN KEY (staff_id, district_id) REFERENCES staff (staff_id, district_id) ON UPDATE CASCADE ON DELETE CASCADE,
    FOREIGN KEY (school_id, district_id) REFERENCES school (school_id, district_id)
);
SELECT audit_attach('rotation_wish', ARRAY['staff_id', 'plan_year', 'rank']);

-- The reference date of a plan year: the policy's `rotation.referenceDate` (MM-DD) in that year.
CREATE FUNCTION rotation_reference_date(p_district integer, p_year integer) RETURNS date LANGUAGE sql STABLE AS $$
    SELECT make_date(p_year, split_part(r, '-', 1)::int, split_part(r, '-', 2)::int)
    FROM coalesce(policy_value(p_district, p_year, ARRAY['rotation', 'referenceDate']) #>> '{}', '09-01') r
$$;

-- Everyone with a home school on the reference date of plan year p_year, every district: eligible,
-- exempt (which rule) or not eligible (why, and from which date they will be, when time alone
-- decides). Checked in the order of domain.md §9, the first failure reported:
--   status ≠ 在岗 (病假/产假 exempt, other statuses not eligible) → approved manual exemption →
--   retirement (exempt unless D + 5 years < the retirement date; none stored → not exempt) →
--   cooldown (a 交流轮岗 placement with start ≤ D < end + 3 years) → years at the school
--   (continuously; principals and vice principals in post there) → optional age caps.
-- "n full years from a" holds on and after the n-th anniversary (29 Feb + n → 28 Feb). The
-- steps are MATERIALIZED: inlined, every CASE below would re-run the per-person lookups.
CREATE FUNCTION rotation_eligibility(p_year integer)
RETURNS TABLE (staff_id bigint, district_id integer, school_id integer, reference_date date, outcome text, rule text,
               reason_zh text, reason_en text, eligible_on date, is_key boolean, is_leader boolean, since date)
LANGUAGE sql STABLE SET jit = off AS $$
WITH rules AS MATERIALIZED (
    SELECT d.district_id, rotation_reference_date(d.district_id, p_year) AS d,
           coalesce((policy_value(d.district_id, p_year, ARRAY['rotation', 'minYearsAtSchool']))::int, 6) AS min_years,
           coalesce((policy_value(d.district_id, p_year, ARRAY['rotation', 'minYearsAsLeader']))::int, 6) AS min_leader_years,
           coalesce((policy_value(d.district_id, p_year, ARRAY['rotation', 'exemptYearsBeforeRetirement']))::int, 5) AS retirement_years,
           coalesce((policy_value(d.district_id, p_year, ARRAY['rotation', 'cooldownYears']))::int, 3) AS cooldown_years,
           coalesce((policy_value(d.district_id, p_year, ARRAY['rotation', 'ageCapsEnabled']))::boolean, false) AS age_caps,
           coalesce((policy_value(d.district_id, p_year, ARRAY['rotation', 'maxAgeMale']))::int, 55) AS max_age_male,
           coalesce((policy_value(d.district_id, p_year, ARRAY['rotation', 'maxAgeFemale']))::int, 50) AS max_age_female
    FROM district d
), people AS MATERIALIZED (
    SELECT st.staff_id, h.school_id, r.*, st.gender, st.birth_date, st.retirement_on,
           ss.status,
           -- the unbroken stretch at the current home school that contains D
           (SELECT lower(x) FROM unnest((SELECT range_agg(hh.valid) FROM staff_home_school hh
                                          WHERE hh.staff_id = st.staff_id AND hh.school_id = h.school_id)) x
            WHERE x @> r.d) AS at_school_since,
           -- a principal's or vice principal's unbroken stretch in post at this school
           (SELECT lower(x) FROM unnest((SELECT range_agg(p.valid) FROM staff_post p
                                          WHERE p.staff_id = st.staff_id AND p.school_id = h.school_id
                                            AND p.post IN ('principal', 'vice_principal'))) x
            WHERE x @> r.d) AS leader_since,
           EXISTS (SELECT 1 FROM staff_key_level k WHERE k.staff_id = st.staff_id AND k.valid @> r.d) AS is_key,
           (SELECT max(e.exemption_id) FROM rotation_exemption e WHERE e.staff_id = st.staff_id AND e.plan_year = p_year
              AND e.revoked_at IS NULL) AS exemption_id,
           (SELECT max(upper(a.valid)) FROM assignment a WHERE a.staff_id = st.staff_id AND a.kind = 'placement'
              AND a.status IN ('approved', 'active', 'ended') AND lower(a.valid) <= r.d
              AND r.d < (upper(a.valid) + make_interval(years => r.cooldown_years))::date) AS placement_end
    FROM staff st JOIN rules r USING (district_id)
    JOIN staff_home_school h ON h.staff_id = st.staff_id AND h.valid @> r.d
    LEFT JOIN staff_status ss ON ss.staff_id = st.staff_id AND ss.valid @> r.d
), judged AS MATERIALIZED (
    SELECT p.*,
           p.leader_since IS NOT NULL AS leader,
           CASE WHEN p.leader_since IS NOT NULL THEN (p.leader_since + make_interval(years => p.min_leader_years))::date
                ELSE (p.at_school_since + make_interval(years => p.min_years))::date END AS years_ok_on,
           extract(year FROM age(p.d, p.birth_date))::int AS age
    FROM people p
)
SELECT j.staff_id, j.district_id, j.school_id, j.d,
       CASE
           WHEN j.status IS DISTINCT FROM 'active' AND j.status IN ('sick', 'maternity') THEN 'exempt'
           WHEN j.status IS DISTINCT FROM 'active' THEN 'not_eligible'
           WHEN j.exemption_id IS NOT NULL THEN 'exempt'
           WHEN j.retirement_on IS NOT NULL AND (j.d + make_interval(years => j.retirement_years))::date >= j.retirement_on THEN 'exempt'
           WHEN j.placement_end IS NOT NULL THEN 'exempt'
           WHEN j.d < j.years_ok_on THEN 'not_eligible'
           WHEN j.age_caps AND j.age >= CASE j.gender WHEN 'male' THEN j.max_age_male ELSE j.max_age_female END THEN 'not_eligible'
           ELSE 'eligible' END,
       CASE
           WHEN j.status IS DISTINCT FROM 'active' THEN 'status'
           WHEN j.exemption_id IS NOT NULL THEN 'manual'
           WHEN j.retirement_on IS NOT NULL AND (j.d + make_interval(years => j.retirement_years))::date >= j.retirement_on THEN 'retirement'
           WHEN j.placement_end IS NOT NULL THEN 'cooldown'
           WHEN j.d < j.years_ok_on THEN CASE WHEN j.leader THEN 'leader_years' ELSE 'years' END
           WHEN j.age_caps AND j.age >= CASE j.gender WHEN 'male' THEN j.max_age_male ELSE j.max_age_female END THEN 'age'
           ELSE NULL END,
       CASE
           WHEN j.status IS DISTINCT FROM 'active' THEN
               j.d || ' 的状态是' || coalesce(CASE j.status WHEN 'sick' THEN '病假' WHEN 'maternity' THEN '产假' WHEN 'seconded' THEN '借调'
                                                            WHEN 'left' THEN '离职' WHEN 'retired' THEN '退休' END, '（无记录）') || '，不参加本年交流轮岗'
           WHEN j.exemption_id IS NOT NULL THEN
               (SELECT '区人事科已批准豁免（' || e.reason || '，批准人 ' || e.approved_by || '）' FROM rotation_exemption e WHERE e.exemption_id = j.exemption_id)
           WHEN j.retirement_on IS NOT NULL AND (j.d + make_interval(years => j.retirement_years))::date >= j.retirement_on THEN
               '预计 ' || j.retirement_on || ' 退休，距 ' || j.d || ' 不足 ' || j.retirement_years || ' 年'
           WHEN j.placement_end IS NOT NULL THEN
               '交流轮岗于 ' || (j.placement_end - 1) || ' 结束，' || j.cooldown_years || ' 年内不再轮岗（' || (j.placement_end + make_interval(years => j.cooldown_years))::date || ' 起可以）'
           WHEN j.d < j.years_ok_on THEN
               CASE WHEN j.leader THEN '自 ' || j.leader_since || ' 起在本校任校级领导，到 ' || j.d || ' 未满 ' || j.min_leader_years || ' 年'
                    ELSE '自 ' || j.at_school_since || ' 起在本校连续任教，到 ' || j.d || ' 未满 ' || j.min_years || ' 年' END
                   || '（' || j.years_ok_on || ' 满）'
           WHEN j.age_caps AND j.age >= CASE j.gender WHEN 'male' THEN j.max_age_male ELSE j.max_age_female END THEN
               j.d || ' 时 ' || j.age || ' 岁，超过' || CASE j.gender WHEN 'male' THEN '男' ELSE '女' END || '教师的年龄上限'
           ELSE
               CASE WHEN j.leader THEN '自 ' || j.leader_since || ' 起在本校任校级领导，到 ' || j.d || ' 已满 ' || j.min_leader_years || ' 年'
                    ELSE '自 ' || j.at_school_since || ' 起在本校连续任教，到 ' || j.d || ' 已满 ' || j.min_years || ' 年' END
       END,
       CASE
           WHEN j.status IS DISTINCT FROM 'active' THEN 'status on ' || j.d || ' is ' || coalesce(j.status::text, '(none)')
           WHEN j.exemption_id IS NOT NULL THEN
               (SELECT 'exempted by HR (' || e.reason || ', approved by ' || e.approved_by || ')' FROM rotation_exemption e WHERE e.exemption_id = j.exemption_id)
           WHEN j.retirement_on IS NOT NULL AND (j.d + make_interval(years => j.retirement_years))::date >= j.retirement_on THEN
               'retires on ' || j.retirement_on || ', less than ' || j.retirement_years || ' years after ' || j.d
           WHEN j.placement_end IS NOT NULL THEN
               'a 交流轮岗 placement ended ' || (j.placement_end - 1) || '; cooldown of ' || j.cooldown_years || ' years (eligible from '
                   || (j.placement_end + make_interval(years => j.cooldown_years))::date || ')'
           WHEN j.d < j.years_ok_on THEN
               CASE WHEN j.leader THEN 'leader at this school since ' || j.leader_since ELSE 'at this school since ' || j.at_school_since END
                   || ': not ' || CASE WHEN j.leader THEN j.min_leader_years ELSE j.min_years END || ' full years on ' || j.d
                   || ' (full on ' || j.years_ok_on || ')'
           WHEN j.age_caps AND j.age >= CASE j.gender WHEN 'male' THEN j.max_age_male ELSE j.max_age_female END THEN
               'aged ' || j.age || ' on ' || j.d || ', at or over the age cap'
           ELSE
               CASE WHEN j.leader THEN 'leader at this school since ' || j.leader_since ELSE 'at this school since ' || j.at_school_since END
                   || ': ' || CASE WHEN j.leader THEN j.min_leader_years ELSE j.min_years END || ' full years on ' || j.d
       END,
       -- when time alone decides: the first day the failing rule no longer holds
       CASE
           WHEN j.status IS DISTINCT FROM 'active' OR j.exemption_id IS NOT NULL THEN NULL
           WHEN j.retirement_on IS NOT NULL AND (j.d + make_interval(years => j.retirement_years))::date >= j.retirement_on THEN NULL
           WHEN j.placement_end IS NOT NULL THEN (j.placement_end + make_interval(years => j.cooldown_years))::date
           WHEN j.d < j.years_ok_on THEN j.years_ok_on
           ELSE NULL END,
       j.is_key, j.leader,
       CASE WHEN j.leader THEN j.leader_since ELSE j.at_school_since END
FROM judged j
$$;
