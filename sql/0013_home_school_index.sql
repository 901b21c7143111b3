-- Xuequ 0013: the staff a principal may read, found by index.
--
-- A principal's row-level security (xuequ_principal_staff) looks up the home-school spells of their
-- schools that overlap any evaluation period of the district. The only index by school covered
-- current spells (WHERE upper_inf(valid)), so every statement a principal ran scanned the whole
-- history: 36 ms at Beijing size (200,000 spells), most of the cost of entering one score
-- (docs/load-test.md). An index over every spell replaces it; the current-spell lookups use it too.
CREATE INDEX staff_home_school_school_all_idx ON staff_home_school (school_id);
DROP INDEX staff_home_school_school_idx;
