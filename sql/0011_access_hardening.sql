-- Xuequ 0011: what the access matrix (docs/access-matrix.md, AccessMatrixTests) found open.
--
--   * The tables without a district column of their own (a cross-school assignment's weekly
--     slots and its status history; a rotation plan's moves, penalties, pins and forbids) had
--     grants but no row-level security: HR of one district could read, and write, another
--     district's. Their rows now follow their parent's district.
--   * The subject catalog is shared by every district: HR of one district could rename or delete a
--     subject under all the others. Only the schema's owner changes it now (a migration).

REVOKE INSERT, UPDATE, DELETE ON subject FROM xuequ_hr;

DO $$
DECLARE
    t text;
    parent text;
    scope text;
BEGIN
    FOR t, parent IN VALUES
        ('assignment_slot', 'assignment'), ('assignment_event', 'assignment'),
        ('rotation_plan_move', 'rotation_plan'), ('rotation_plan_penalty', 'rotation_plan'), ('rotation_plan_rule', 'rotation_plan')
    LOOP
        -- the parent row's district; the parent itself is read under its own policies
        scope := CASE parent
            WHEN 'assignment' THEN format('EXISTS (SELECT 1 FROM assignment a WHERE a.assignment_id = %I.assignment_id AND a.district_id = (SELECT xuequ_user_district()))', t)
            ELSE format('EXISTS (SELECT 1 FROM rotation_plan p WHERE p.plan_id = %I.plan_id AND p.district_id = (SELECT xuequ_user_district()))', t)
        END;
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY read_all ON %I FOR SELECT TO xuequ_auditor, xuequ_batch USING (true)', t);
        EXECUTE format('CREATE POLICY hr_district ON %I FOR ALL TO xuequ_hr USING (%s) WITH CHECK (%s)', t, scope, scope);
        IF has_table_privilege('xuequ_cluster_office', t, 'SELECT') THEN
            EXECUTE format('CREATE POLICY cluster_office ON %I FOR SELECT TO xuequ_cluster_office USING (%s)', t, scope);
        END IF;
    END LOOP;
END
$$;

-- The frozen-plan check runs before row-level security; run as the invoker it could not see
-- another district's plan and refused HR's write to it as "plan # is <nothing>". It reads the
-- plan's true status now, and the row-level security check then refuses the write as a write to
-- another district.
ALTER FUNCTION rotation_plan_frozen() SECURITY DEFINER;
