import Foundation
import XuequCore

extension ImportSpec {
    static let districts = ImportSpec(
        kind: .districts,
        columns: [
            ColumnSpec("code", ["区代码", "代码"], .code),
            ColumnSpec("name", ["区名称", "名称", "区"], .text(max: 100)),
        ],
        identity: ["code"],
        validateSQL: [],
        mergeSQL: ["""
            INSERT INTO district (code, name) SELECT code, name FROM import_stage
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name
            WHERE district.name IS DISTINCT FROM EXCLUDED.name
            """])

    static let clusters = ImportSpec(
        kind: .clusters,
        columns: [
            ColumnSpec("code", ["学区代码", "代码"], .code),
            ColumnSpec("district_code", ["区代码"], .code),
            ColumnSpec("name", ["学区名称", "学区", "名称"], .text(max: 100)),
        ],
        identity: ["code"],
        validateSQL: [
            ReferenceCheck.unknown("district_code", table: "district", zh: "没有这个区代码（请先导入区）", en: "no district with this code (import districts first)"),
            """
            SELECT s.line, 'name', s.name, '该区已有同名学区（代码 ' || c.code || '）', 'the district already has a 学区 of this name (code ' || c.code || ')'
            FROM import_stage s JOIN district d ON d.code = s.district_code
            JOIN cluster c ON c.district_id = d.district_id AND c.name = s.name AND c.code <> s.code
            """,
            """
            SELECT s.line, 'district_code', s.district_code, '学区已有学校，不能改到别的区', 'the 学区 has schools and cannot move to another district'
            FROM import_stage s JOIN cluster c ON c.code = s.code JOIN district d ON d.code = s.district_code
            WHERE c.district_id <> d.district_id AND EXISTS (SELECT 1 FROM school x WHERE x.cluster_id = c.cluster_id)
            """,
        ],
        mergeSQL: ["""
            INSERT INTO cluster (district_id, code, name)
            SELECT d.district_id, s.code, s.name FROM import_stage s JOIN district d ON d.code = s.district_code
            ON CONFLICT (code) DO UPDATE SET district_id = EXCLUDED.district_id, name = EXCLUDED.name
            WHERE (cluster.district_id, cluster.name) IS DISTINCT FROM (EXCLUDED.district_id, EXCLUDED.name)
            """])

    static let schools = ImportSpec(
        kind: .schools,
        columns: [
            ColumnSpec("code", ["学校代码", "学校标识码", "代码"], .code),
            ColumnSpec("district_code", ["区代码"], .code),
            ColumnSpec("cluster_code", ["学区代码"], required: false, .code),
            ColumnSpec("name", ["学校名称", "学校", "名称"], .text(max: 100)),
            ColumnSpec("stage", ["学段", "办学类型"], .term(SchoolStage.self)),
            ColumnSpec("tier", ["办学层级", "层级"], .term(SchoolTier.self)),
            ColumnSpec("rural", ["农村", "是否农村"], required: false, .bool),
            ColumnSpec("lat", ["纬度"], .decimal(scale: 6, -90...90)),
            ColumnSpec("lon", ["经度"], .decimal(scale: 6, -180...180)),
        ],
        identity: ["code"],
        validateSQL: [
            ReferenceCheck.unknown("district_code", table: "district", zh: "没有这个区代码（请先导入区）", en: "no district with this code (import districts first)"),
            ReferenceCheck.unknown("cluster_code", table: "cluster", zh: "没有这个学区代码（请先导入学区）", en: "no 学区 with this code (import clusters first)"),
            """
            SELECT s.line, 'cluster_code', s.cluster_code, '学区不在该校所在的区', 'the 学区 is not in the school''s district'
            FROM import_stage s JOIN cluster c ON c.code = s.cluster_code JOIN district d ON d.code = s.district_code
            WHERE c.district_id <> d.district_id
            """,
            """
            SELECT s.line, 'district_code', s.district_code,
                   '学校换区时要同时给出新区的学区代码（现属 ' || c.code || '）', 'a school moving district needs its new 学区 in cluster_code (now ' || c.code || ')'
            FROM import_stage s JOIN school cur ON cur.code = s.code JOIN district d ON d.code = s.district_code
            JOIN cluster c ON c.cluster_id = cur.cluster_id
            WHERE cur.district_id <> d.district_id AND NOT \(present("cluster_code"))
            """,
            """
            SELECT s.line, 'district_code', s.district_code,
                   '学校属于原区的教育集团 ' || g.code || '，换区前请先退出', 'the school belongs to group ' || g.code || ' of its old district; leave it first'
            FROM import_stage s JOIN school cur ON cur.code = s.code JOIN district d ON d.code = s.district_code
            JOIN edu_group_member m ON m.school_id = cur.school_id JOIN edu_group g ON g.group_id = m.group_id
            WHERE cur.district_id <> d.district_id
            """,
        ],
        mergeSQL: ["""
            INSERT INTO school (district_id, cluster_id, code, name, stage, tier, rural, lat, lon)
            SELECT d.district_id, \(keep("cluster_code", staged: "c.cluster_id", current: "cur.cluster_id")),
                   s.code, s.name, s.stage::school_stage, s.tier::smallint,
                   \(keep("rural", staged: "coalesce(s.rural, false)", current: "coalesce(cur.rural, false)")), s.lat, s.lon
            FROM import_stage s JOIN district d ON d.code = s.district_code
            LEFT JOIN cluster c ON c.code = s.cluster_code
            LEFT JOIN school cur ON cur.code = s.code
            ON CONFLICT (code) DO UPDATE SET district_id = EXCLUDED.district_id, cluster_id = EXCLUDED.cluster_id,
                name = EXCLUDED.name, stage = EXCLUDED.stage, tier = EXCLUDED.tier, rural = EXCLUDED.rural,
                lat = EXCLUDED.lat, lon = EXCLUDED.lon
            WHERE (school.district_id, school.cluster_id, school.name, school.stage, school.tier, school.rural, school.lat, school.lon)
                IS DISTINCT FROM (EXCLUDED.district_id, EXCLUDED.cluster_id, EXCLUDED.name, EXCLUDED.stage, EXCLUDED.tier,
                                  EXCLUDED.rural, EXCLUDED.lat, EXCLUDED.lon)
            """])

    static let campuses = ImportSpec(
        kind: .campuses,
        columns: [
            ColumnSpec("school_code", ["学校代码"], .code),
            ColumnSpec("code", ["校区代码", "代码"], .code),
            ColumnSpec("name", ["校区名称", "校区", "名称"], .text(max: 100)),
            ColumnSpec("lat", ["纬度"], .decimal(scale: 6, -90...90)),
            ColumnSpec("lon", ["经度"], .decimal(scale: 6, -180...180)),
        ],
        identity: ["school_code", "code"],
        validateSQL: [ReferenceCheck.unknownSchool],
        mergeSQL: ["""
            INSERT INTO campus (school_id, district_id, code, name, lat, lon)
            SELECT sc.school_id, sc.district_id, s.code, s.name, s.lat, s.lon
            FROM import_stage s JOIN school sc ON sc.code = s.school_code
            ON CONFLICT (school_id, code) DO UPDATE SET name = EXCLUDED.name, lat = EXCLUDED.lat, lon = EXCLUDED.lon
            WHERE (campus.name, campus.lat, campus.lon) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.lat, EXCLUDED.lon)
            """])

    static let groups = ImportSpec(
        kind: .groups,
        columns: [
            ColumnSpec("code", ["集团代码", "代码"], .code),
            ColumnSpec("district_code", ["区代码"], .code),
            ColumnSpec("name", ["集团名称", "名称"], .text(max: 100)),
            ColumnSpec("kind", ["类型"], required: false, .term(GroupKind.self)),
        ],
        identity: ["code"],
        validateSQL: [
            ReferenceCheck.unknown("district_code", table: "district", zh: "没有这个区代码（请先导入区）", en: "no district with this code (import districts first)"),
            """
            SELECT s.line, 'district_code', s.district_code, '集团已有成员学校，不能改到别的区', 'the group has member schools and cannot move to another district'
            FROM import_stage s JOIN edu_group g ON g.code = s.code JOIN district d ON d.code = s.district_code
            WHERE g.district_id <> d.district_id AND EXISTS (SELECT 1 FROM edu_group_member m WHERE m.group_id = g.group_id)
            """,
        ],
        mergeSQL: ["""
            INSERT INTO edu_group (district_id, code, name, kind)
            SELECT d.district_id, s.code, s.name,
                   \(keep("kind", staged: "coalesce(s.kind, 'group')::group_kind", current: "coalesce(cur.kind, 'group')"))
            FROM import_stage s JOIN district d ON d.code = s.district_code
            LEFT JOIN edu_group cur ON cur.code = s.code
            ON CONFLICT (code) DO UPDATE SET district_id = EXCLUDED.district_id, name = EXCLUDED.name, kind = EXCLUDED.kind
            WHERE (edu_group.district_id, edu_group.name, edu_group.kind) IS DISTINCT FROM (EXCLUDED.district_id, EXCLUDED.name, EXCLUDED.kind)
            """])

    static let groupMembers = ImportSpec(
        kind: .groupMembers,
        columns: [
            ColumnSpec("group_code", ["集团代码"], .code),
            ColumnSpec("school_code", ["学校代码"], .code),
            ColumnSpec("joined_on", ["加入日期"], .date),
        ],
        identity: ["group_code", "school_code"],
        validateSQL: [
            ReferenceCheck.unknown("group_code", table: "edu_group", zh: "没有这个集团代码（请先导入集团）", en: "no group with this code (import groups first)"),
            ReferenceCheck.unknownSchool,
            """
            SELECT s.line, 'school_code', s.school_code, '学校与集团不在同一个区', 'the school and the group are in different districts'
            FROM import_stage s JOIN edu_group g ON g.code = s.group_code JOIN school sc ON sc.code = s.school_code
            WHERE g.district_id <> sc.district_id
            """,
        ],
        mergeSQL: ["""
            INSERT INTO edu_group_member (group_id, school_id, district_id, joined_on)
            SELECT g.group_id, sc.school_id, sc.district_id, s.joined_on
            FROM import_stage s JOIN edu_group g ON g.code = s.group_code JOIN school sc ON sc.code = s.school_code
            ON CONFLICT (group_id, school_id) DO UPDATE SET joined_on = EXCLUDED.joined_on
            WHERE edu_group_member.joined_on IS DISTINCT FROM EXCLUDED.joined_on
            """])
}
