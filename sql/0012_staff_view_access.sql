-- Xuequ 0012: `xuequ staff list` / `staff show` for the people who use them.
--
-- The staff_current view was readable only by auditors and the batch (who read everything): HR,
-- 学区 offices and principals were refused ("permission denied for view staff_current"). A plain
-- view reads its tables with its owner's rights, past row-level security, so granting it as it
-- was would have shown every district's staff to everyone. It now reads as the person asking
-- (security_invoker), under the policies of staff and its histories, and is granted to them.
ALTER VIEW staff_current SET (security_invoker = true);
GRANT SELECT ON staff_current TO xuequ_hr, xuequ_cluster_office, xuequ_principal;

-- `staff show` for a principal: the rest of the record of the staff they may read (key-teacher
-- level 骨干, subjects, stage certificates, posts, homeroom years), as they already read the title,
-- home school, status, load, training and ethics records.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['staff_key_level', 'staff_subject', 'staff_stage_cert', 'staff_post', 'staff_homeroom_year'] LOOP
        EXECUTE format('GRANT SELECT ON %I TO xuequ_principal', t);
        EXECUTE format('CREATE POLICY principal_staff ON %I FOR SELECT TO xuequ_principal
                        USING (staff_id IN (SELECT xuequ_principal_staff()))', t);
    END LOOP;
END
$$;
