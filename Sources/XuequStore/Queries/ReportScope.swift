import LibPQ
import XuequCore

/// The schools a `--school` or `--cluster` report covers, and their district.
struct ReportScope {
    let districtID: Int
    let schoolIDs: [Int]

    /// Resolves one school's code or one 学区's code; an unknown code is a plain not-found error.
    static func resolve(school: String?, cluster: String?, on connection: Connection, language: Language) throws -> ReportScope {
        let r = try connection.query("""
            SELECT coalesce((SELECT district_id FROM school WHERE code = $1), (SELECT district_id FROM cluster WHERE code = $2)),
                   (SELECT array_agg(school_id) FROM school WHERE code = $1 OR cluster_id = (SELECT cluster_id FROM cluster WHERE code = $2))
            """, [school, cluster], name: "report scope")
        guard let district = try r[0].decodeIfPresent(Int.self, at: 0), let schools = try r[0].decodeIfPresent([Int].self, at: 1) else {
            throw StoreError.notFound(school.map { language.pick("没有学校代码 \($0)", "no school with code \($0)") }
                                      ?? language.pick("没有学区代码 \(cluster ?? "")", "no 学区 with code \(cluster ?? "")"))
        }
        return ReportScope(districtID: district, schoolIDs: schools)
    }
}
