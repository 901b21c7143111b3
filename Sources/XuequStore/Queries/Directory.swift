import LibPQ
import XuequCore

/// Reading the organisation and its staff for people: lists with filters and single records.
public struct Directory {
    let connection: Connection
    let language: Language

    public init(connection: Connection, language: Language) {
        self.connection = connection
        self.language = language
    }

    /// Every district's code, in order.
    public func districtCodes() throws -> [String] {
        try connection.query("SELECT code FROM district ORDER BY code", name: "district codes").map { try $0.decode(String.self, at: 0) }
    }

    public func districts() throws -> Report {
        try ReportQuery(columns: [
            .init("code", "区代码", "code"), .init("name", "名称", "name"),
            .init("clusters", "学区数", "clusters", .int), .init("schools", "学校数", "schools", .int),
            .init("staff", "教职工数", "staff", .int),
        ], sql: """
            SELECT d.code, d.name,
                   (SELECT count(*) FROM cluster c WHERE c.district_id = d.district_id),
                   (SELECT count(*) FROM school s WHERE s.district_id = d.district_id),
                   (SELECT count(*) FROM staff s WHERE s.district_id = d.district_id)
            FROM district d ORDER BY d.code
            """).run(on: connection, language: language, name: "district list")
    }

    public func clusters(district: String?) throws -> Report {
        try ReportQuery(columns: [
            .init("code", "学区代码", "code"), .init("name", "学区", "学区"), .init("district", "区", "district"),
            .init("schools", "学校数", "schools", .int), .init("staff", "在编教职工", "staff", .int),
        ], sql: """
            SELECT c.code, c.name, d.name,
                   (SELECT count(*) FROM school s WHERE s.cluster_id = c.cluster_id),
                   (SELECT count(*) FROM staff_home_school h JOIN school s USING (school_id)
                    WHERE s.cluster_id = c.cluster_id AND upper_inf(h.valid))
            FROM cluster c JOIN district d USING (district_id)
            WHERE $1::text IS NULL OR d.code = $1
            ORDER BY d.code, c.code
            """).run(on: connection, [district], language: language, name: "cluster list")
    }

    /// Schools with filters; every filter is optional.
    public func schools(district: String?, cluster: String?, stage: SchoolStage?, tier: SchoolTier?, rural: Bool?, name: String?) throws -> Report {
        try ReportQuery(columns: [
            .init("code", "学校代码", "code"), .init("name", "学校", "school"),
            .init("cluster", "学区", "学区"), .init("stage", "学段", "stage", ReportQuery.term(SchoolStage.self)),
            .init("tier", "层级", "tier", ReportQuery.term(SchoolTier.self)), .init("rural", "农村", "rural", .bool),
            .init("campuses", "校区数", "campuses", .int), .init("staff", "在编教职工", "staff", .int),
        ], sql: """
            SELECT s.code, s.name, c.name, s.stage::text, s.tier::text, s.rural,
                   (SELECT count(*) FROM campus x WHERE x.school_id = s.school_id),
                   (SELECT count(*) FROM staff_home_school h WHERE h.school_id = s.school_id AND upper_inf(h.valid))
            FROM school s JOIN district d USING (district_id) LEFT JOIN cluster c USING (cluster_id)
            WHERE ($1::text IS NULL OR d.code = $1) AND ($2::text IS NULL OR c.code = $2)
              AND ($3::text IS NULL OR s.stage::text = $3) AND ($4::smallint IS NULL OR s.tier = $4)
              AND ($5::boolean IS NULL OR s.rural = $5)
              AND ($6::text IS NULL OR strpos(s.name, $6) > 0)
            ORDER BY s.code
            """).run(on: connection, [district, cluster, stage?.rawValue, tier.map { Int($0.rawValue)! }, rural, name],
                     language: language, name: "school list")
    }

    /// Staff with filters (current state); `limit` caps the rows.
    public func staff(district: String?, cluster: String?, school: String?, title: TitleLevel?, keyLevel: KeyLevel?,
                      status: EmploymentStatus?, subject: String?, name: String?, limit: Int) throws -> Report {
        try ReportQuery(columns: Self.staffColumns, sql: """
            SELECT c.staff_no, c.name, c.gender::text, sc.code, sc.name, sj.name_zh, c.title::text, c.key_level::text,
                   c.status::text, date_part('year', age(current_date, c.birth_date))::int
            FROM staff_current c JOIN district d ON d.district_id = c.district_id
            LEFT JOIN school sc ON sc.school_id = c.home_school_id LEFT JOIN cluster cl ON cl.cluster_id = sc.cluster_id
            JOIN subject sj ON sj.code = c.primary_subject
            WHERE ($1::text IS NULL OR d.code = $1) AND ($2::text IS NULL OR cl.code = $2) AND ($3::text IS NULL OR sc.code = $3)
              AND ($4::text IS NULL OR c.title::text = $4) AND ($5::text IS NULL OR c.key_level::text = $5)
              AND ($6::text IS NULL OR c.status::text = $6) AND ($7::text IS NULL OR c.primary_subject = $7 OR sj.name_zh = $7)
              AND ($8::text IS NULL OR strpos(c.name, $8) > 0)
            ORDER BY c.staff_no
            LIMIT $9
            """).run(on: connection, [district, cluster, school, title?.rawValue, keyLevel?.rawValue, status?.rawValue, subject, name, limit],
                     language: language, name: "staff list")
    }

    static let staffColumns: [ReportQuery.Column] = [
        .init("staff_no", "工号", "staff no"), .init("name", "姓名", "name"),
        .init("gender", "性别", "gender", ReportQuery.term(Gender.self)),
        .init("school_code", "学校代码", "school code"), .init("school", "编制学校", "home school"),
        .init("subject", "学科", "subject"),
        .init("title", "职称", "title", ReportQuery.term(TitleLevel.self)),
        .init("key_level", "骨干", "key level", ReportQuery.term(KeyLevel.self)),
        .init("status", "状态", "status", ReportQuery.term(EmploymentStatus.self)),
        .init("age", "年龄", "age", .int),
    ]
}
