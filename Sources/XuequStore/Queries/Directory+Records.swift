import LibPQ
import XuequCore

extension Directory {
    /// One person's record: profile, subjects, and every dated history.
    public func staffRecord(_ staffNo: String) throws -> Sections {
        let l = language
        let profile = try ReportQuery(columns: [
            .init("staff_no", "工号", "staff no"), .init("name", "姓名", "name"),
            .init("gender", "性别", "gender", ReportQuery.term(Gender.self)),
            .init("birth_date", "出生日期", "birth date", .date), .init("first_employed_on", "参加工作时间", "first employed", .date),
            .init("education", "学历", "education", ReportQuery.term(EducationLevel.self)),
            .init("district", "区", "district"), .init("cluster", "学区", "学区"),
            .init("home_school", "编制学校", "home school"), .init("home_since", "调入日期", "at home school since", .date),
            .init("primary_subject", "主教学科", "primary subject"), .init("qualified_subjects", "兼教学科", "also qualified"),
            .init("stage_certs", "教师资格学段", "certificates"),
            .init("title", "职称", "title", ReportQuery.term(TitleLevel.self)), .init("title_since", "职称取得日期", "title since", .date),
            .init("key_level", "骨干", "key level", ReportQuery.term(KeyLevel.self)), .init("key_since", "骨干认定日期", "key since", .date),
            .init("status", "状态", "status", ReportQuery.term(EmploymentStatus.self)), .init("status_since", "状态日期", "status since", .date),
            .init("retirement_on", "预计退休日期", "expected retirement", .date), .init("homeroom_years", "班主任年限", "homeroom years", .int),
        ], sql: """
            SELECT c.staff_no, c.name, c.gender::text, c.birth_date, c.first_employed_on, c.education::text,
                   d.name, cl.name, sc.name || '（' || sc.code || '）', c.home_since,
                   (SELECT CASE WHEN $2 = 'zh' THEN name_zh ELSE name_en END FROM subject WHERE code = c.primary_subject),
                   (SELECT string_agg(CASE WHEN $2 = 'zh' THEN j.name_zh ELSE j.name_en END, '、' ORDER BY j.code)
                    FROM staff_subject x JOIN subject j ON j.code = x.subject_code WHERE x.staff_id = c.staff_id),
                   (SELECT string_agg(CASE x.stage WHEN 'primary' THEN '小学' WHEN 'junior' THEN '初中' ELSE '高中' END, '、' ORDER BY x.stage)
                    FROM staff_stage_cert x WHERE x.staff_id = c.staff_id),
                   c.title::text, c.title_since, c.key_level::text, c.key_since, c.status::text, c.status_since,
                   c.retirement_on, c.homeroom_years
            FROM staff_current c JOIN district d ON d.district_id = c.district_id
            LEFT JOIN school sc ON sc.school_id = c.home_school_id LEFT JOIN cluster cl ON cl.cluster_id = sc.cluster_id
            WHERE c.staff_no = $1
            """).run(on: connection, [staffNo, l.rawValue], language: l, name: "staff show")
        guard !profile.rows.isEmpty else {
            throw StoreError.notFound(l.pick("没有工号为 \(staffNo) 的教职工", "no staff member with number \(staffNo)"))
        }
        let range: [ReportQuery.Column] = [.init("start_on", "开始", "from", .date), .init("end_on", "结束", "until", .date)]
        let staffFilter = "JOIN staff st USING (staff_id) WHERE st.staff_no = $1"
        var s = Sections(language: l)
        s.add("profile", l.pick("基本信息", "Profile"), profile, record: true)
        s.add("home_schools", l.pick("编制学校", "Home schools"), try ReportQuery(
            columns: [.init("school_code", "学校代码", "school code"), .init("school", "学校", "school")] + range,
            sql: "SELECT sc.code, sc.name, lower(h.valid), upper(h.valid) FROM staff_home_school h JOIN school sc USING (school_id) \(staffFilter) ORDER BY lower(h.valid)")
            .run(on: connection, [staffNo], language: l, name: "staff home schools"))
        s.add("titles", l.pick("职称", "Titles"), try ReportQuery(
            columns: [.init("title", "职称", "title", ReportQuery.term(TitleLevel.self)), .init("obtained_on", "取得日期", "obtained", .date)],
            sql: "SELECT h.level::text, h.obtained_on FROM staff_title h \(staffFilter) ORDER BY h.level")
            .run(on: connection, [staffNo], language: l, name: "staff titles"))
        s.add("key_levels", l.pick("骨干", "Key-teacher levels"), try ReportQuery(
            columns: [.init("key_level", "骨干级别", "level", ReportQuery.term(KeyLevel.self))] + range,
            sql: "SELECT h.level::text, lower(h.valid), upper(h.valid) FROM staff_key_level h \(staffFilter) ORDER BY lower(h.valid)")
            .run(on: connection, [staffNo], language: l, name: "staff key levels"))
        s.add("statuses", l.pick("任职状态", "Employment status"), try ReportQuery(
            columns: [.init("status", "状态", "status", ReportQuery.term(EmploymentStatus.self))] + range,
            sql: "SELECT h.status::text, lower(h.valid), upper(h.valid) FROM staff_status h \(staffFilter) ORDER BY lower(h.valid)")
            .run(on: connection, [staffNo], language: l, name: "staff statuses"))
        s.add("posts", l.pick("职务", "Posts"), try ReportQuery(
            columns: [.init("school", "学校", "school"), .init("post", "职务", "post", ReportQuery.term(LeaderPost.self))] + range,
            sql: "SELECT sc.name, h.post::text, lower(h.valid), upper(h.valid) FROM staff_post h JOIN school sc USING (school_id) \(staffFilter) ORDER BY lower(h.valid)")
            .run(on: connection, [staffNo], language: l, name: "staff posts"))
        s.add("homeroom_years", l.pick("担任班主任的学年", "Homeroom years"), try ReportQuery(
            columns: [.init("school_year", "学年", "school year")],
            sql: "SELECT h.school_year || '-' || (h.school_year + 1) FROM staff_homeroom_year h \(staffFilter) ORDER BY 1")
            .run(on: connection, [staffNo], language: l, name: "staff homeroom"))
        s.add("loads", l.pick("本校周课时", "Home teaching load"), try ReportQuery(
            columns: [.init("school_year", "学年", "school year"), .init("periods_per_week", "周课时", "periods/week", .int)],
            sql: "SELECT h.school_year || '-' || (h.school_year + 1), h.periods_per_week FROM staff_home_load h \(staffFilter) ORDER BY h.school_year")
            .run(on: connection, [staffNo], language: l, name: "staff loads"))
        s.add("training", l.pick("继续教育学时", "Continuing education"), try ReportQuery(
            columns: [.init("taken_on", "日期", "date", .date), .init("course", "课程", "course"), .init("hours", "学时", "hours", .decimal)],
            sql: "SELECT h.taken_on, h.course, h.hours FROM staff_training h \(staffFilter) ORDER BY h.taken_on")
            .run(on: connection, [staffNo], language: l, name: "staff training"))
        s.add("ethics", l.pick("师德记录", "Ethics records"), try ReportQuery(
            columns: [.init("occurred_on", "日期", "date", .date), .init("description", "情况", "description")],
            sql: "SELECT h.occurred_on, h.description FROM staff_ethics_record h \(staffFilter) ORDER BY h.occurred_on")
            .run(on: connection, [staffNo], language: l, name: "staff ethics"))
        return s
    }

    /// One school: its record, campuses, groups and leaders.
    public func schoolRecord(_ code: String) throws -> Sections {
        let l = language
        let profile = try ReportQuery(columns: [
            .init("code", "学校代码", "code"), .init("name", "学校", "name"), .init("district", "区", "district"),
            .init("cluster", "学区", "学区"), .init("stage", "学段", "stage", ReportQuery.term(SchoolStage.self)),
            .init("tier", "层级", "tier", ReportQuery.term(SchoolTier.self)), .init("rural", "农村", "rural", .bool),
            .init("lat", "纬度", "lat", .decimal), .init("lon", "经度", "lon", .decimal),
            .init("staff", "在编教职工", "staff", .int),
        ], sql: """
            SELECT s.code, s.name, d.name, c.name, s.stage::text, s.tier::text, s.rural, s.lat, s.lon,
                   (SELECT count(*) FROM staff_home_school h WHERE h.school_id = s.school_id AND upper_inf(h.valid))
            FROM school s JOIN district d USING (district_id) LEFT JOIN cluster c USING (cluster_id) WHERE s.code = $1
            """).run(on: connection, [code], language: l, name: "school show")
        guard !profile.rows.isEmpty else {
            throw StoreError.notFound(l.pick("没有代码为 \(code) 的学校", "no school with code \(code)"))
        }
        var s = Sections(language: l)
        s.add("school", l.pick("学校", "School"), profile, record: true)
        s.add("campuses", l.pick("校区", "Campuses"), try ReportQuery(
            columns: [.init("code", "校区代码", "code"), .init("name", "校区", "campus"), .init("lat", "纬度", "lat", .decimal), .init("lon", "经度", "lon", .decimal)],
            sql: "SELECT c.code, c.name, c.lat, c.lon FROM campus c JOIN school s USING (school_id) WHERE s.code = $1 ORDER BY c.code")
            .run(on: connection, [code], language: l, name: "school campuses"))
        s.add("groups", l.pick("教育集团/联盟", "Education groups"), try ReportQuery(
            columns: [.init("code", "集团代码", "code"), .init("name", "名称", "name"), .init("kind", "类型", "kind", ReportQuery.term(GroupKind.self)),
                      .init("joined_on", "加入日期", "joined", .date)],
            sql: "SELECT g.code, g.name, g.kind::text, m.joined_on FROM edu_group_member m JOIN edu_group g USING (group_id) JOIN school s ON s.school_id = m.school_id WHERE s.code = $1 ORDER BY g.code")
            .run(on: connection, [code], language: l, name: "school groups"))
        s.add("leaders", l.pick("现任干部", "Current leaders"), try ReportQuery(
            columns: [.init("staff_no", "工号", "staff no"), .init("name", "姓名", "name"), .init("post", "职务", "post", ReportQuery.term(LeaderPost.self)),
                      .init("since", "任职日期", "since", .date)],
            sql: "SELECT st.staff_no, st.name, p.post::text, lower(p.valid) FROM staff_post p JOIN staff st USING (staff_id) JOIN school s ON s.school_id = p.school_id WHERE s.code = $1 AND upper_inf(p.valid) ORDER BY p.post, st.staff_no")
            .run(on: connection, [code], language: l, name: "school leaders"))
        return s
    }

    /// A district's shape: schools by 学区 and tier, staff by title and key level.
    public func summary(district: String?) throws -> Sections {
        let l = language
        var s = Sections(language: l)
        s.add("schools_by_cluster_tier", l.pick("学校：按学区和层级", "Schools by 学区 and tier"), try ReportQuery(columns: [
            .init("district", "区", "district"), .init("cluster", "学区", "学区"),
            .init("tier1", "优质", "strong", .int), .init("tier2", "普通", "ordinary", .int), .init("tier3", "薄弱", "weak", .int),
            .init("schools", "合计", "total", .int), .init("staff", "在编教职工", "staff", .int),
        ], sql: """
            SELECT d.name, coalesce(c.name, $2), count(*) FILTER (WHERE s.tier = 1), count(*) FILTER (WHERE s.tier = 2),
                   count(*) FILTER (WHERE s.tier = 3), count(*),
                   sum((SELECT count(*) FROM staff_home_school h WHERE h.school_id = s.school_id AND upper_inf(h.valid)))
            FROM school s JOIN district d USING (district_id) LEFT JOIN cluster c USING (cluster_id)
            WHERE $1::text IS NULL OR d.code = $1
            GROUP BY d.code, d.name, c.code, c.name ORDER BY d.code, c.code NULLS LAST
            """).run(on: connection, [district, l.pick("（不属于学区）", "(no 学区)")], language: l, name: "summary schools"))
        s.add("staff_by_title_key", l.pick("在岗教职工：按职称和骨干级别", "Active staff by title and key level"), try ReportQuery(columns: [
            .init("title", "职称", "title", ReportQuery.term(TitleLevel.self), null: ("无职称", "no title")),
            .init("none", "非骨干", "not key", .int), .init("school", "校级骨干", "school", .int), .init("district", "区级骨干", "district", .int),
            .init("municipal", "市级骨干", "municipal", .int), .init("subject_leader", "学科带头人", "subject leader", .int),
            .init("special", "特级教师", "special", .int), .init("total", "合计", "total", .int),
        ], sql: """
            SELECT c.title::text,
                   count(*) FILTER (WHERE c.key_level IS NULL), count(*) FILTER (WHERE c.key_level = 'school'),
                   count(*) FILTER (WHERE c.key_level = 'district'), count(*) FILTER (WHERE c.key_level = 'municipal'),
                   count(*) FILTER (WHERE c.key_level = 'subject_leader'), count(*) FILTER (WHERE c.key_level = 'special'),
                   count(*)
            FROM staff_current c JOIN district d ON d.district_id = c.district_id
            WHERE ($1::text IS NULL OR d.code = $1) AND c.status = 'active'
            GROUP BY c.title ORDER BY c.title NULLS FIRST
            """).run(on: connection, [district], language: l, name: "summary staff"))
        return s
    }
}

extension Directory {
    /// One district: its counts, its 学区 and its education groups.
    public func districtRecord(_ code: String) throws -> Sections {
        let l = language
        let districts = try self.districts()
        guard let row = districts.rows.first(where: { $0.first == .text(code) }) else {
            throw StoreError.notFound(l.pick("没有代码为 \(code) 的区", "no district with code \(code)"))
        }
        var s = Sections(language: l)
        s.add("district", l.pick("区", "District"), Report(columns: districts.columns, rows: [row]), record: true)
        s.add("clusters", l.pick("学区", "学区"), try clusters(district: code))
        s.add("groups", l.pick("教育集团/联盟", "Education groups"), try ReportQuery(columns: [
            .init("code", "集团代码", "code"), .init("name", "名称", "name"),
            .init("kind", "类型", "kind", ReportQuery.term(GroupKind.self)), .init("schools", "成员学校", "schools", .int),
        ], sql: """
            SELECT g.code, g.name, g.kind::text, (SELECT count(*) FROM edu_group_member m WHERE m.group_id = g.group_id)
            FROM edu_group g JOIN district d USING (district_id) WHERE d.code = $1 ORDER BY g.code
            """).run(on: connection, [code], language: l, name: "district groups"))
        return s
    }

    /// One 学区: its record, its schools, and the education groups its schools belong to.
    public func clusterRecord(_ code: String) throws -> Sections {
        let l = language
        let profile = try ReportQuery(columns: [
            .init("code", "学区代码", "code"), .init("name", "学区", "学区"), .init("district", "区", "district"),
            .init("schools", "学校数", "schools", .int), .init("staff", "在编教职工", "staff", .int),
        ], sql: """
            SELECT c.code, c.name, d.name, (SELECT count(*) FROM school s WHERE s.cluster_id = c.cluster_id),
                   (SELECT count(*) FROM staff_home_school h JOIN school s USING (school_id)
                    WHERE s.cluster_id = c.cluster_id AND upper_inf(h.valid))
            FROM cluster c JOIN district d USING (district_id) WHERE c.code = $1
            """).run(on: connection, [code], language: l, name: "cluster show")
        guard !profile.rows.isEmpty else {
            throw StoreError.notFound(l.pick("没有代码为 \(code) 的学区", "no 学区 with code \(code)"))
        }
        var s = Sections(language: l)
        s.add("cluster", l.pick("学区", "学区"), profile, record: true)
        s.add("schools", l.pick("学校", "Schools"),
              try schools(district: nil, cluster: code, stage: nil, tier: nil, rural: nil, name: nil))
        s.add("groups", l.pick("所属教育集团/联盟", "Education groups of its schools"), try ReportQuery(columns: [
            .init("code", "集团代码", "code"), .init("name", "名称", "name"),
            .init("kind", "类型", "kind", ReportQuery.term(GroupKind.self)), .init("schools_here", "本学区成员", "members here", .int),
            .init("schools", "成员总数", "members", .int),
        ], sql: """
            SELECT g.code, g.name, g.kind::text, count(*),
                   (SELECT count(*) FROM edu_group_member x WHERE x.group_id = g.group_id)
            FROM edu_group g JOIN edu_group_member m USING (group_id) JOIN school s ON s.school_id = m.school_id
            JOIN cluster c ON c.cluster_id = s.cluster_id WHERE c.code = $1
            GROUP BY g.group_id, g.code, g.name, g.kind ORDER BY g.code
            """).run(on: connection, [code], language: l, name: "cluster groups"))
        return s
    }
}
