import ArgumentParser
import Foundation
import Logging

@main
struct Xuequ: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xuequ",
        abstract: "学区 — teacher rotation and evaluation for district HR offices.",
        discussion: """
            Connects with --database, XUEQU_DATABASE_URL, libpq's PG* variables or ~/.pgpass; with none of \
            them, to the project's private PostgreSQL (deploy/pg up). Messages are in Chinese; --lang en \
            gives English.

            Example:
              xuequ import --dir demo-csv
              xuequ school list --cluster DC-HPL
            """,
        version: "0.9.0",
        subcommands: [
            DBCommand.self, ImportCommand.self, ExportCommand.self,
            DistrictCommand.self, ClusterCommand.self, SchoolCommand.self, StaffCommand.self,
            SummaryCommand.self, AssignCommand.self, TeacherCommand.self, WorkloadCommand.self, RotationCommand.self,
            PolicyCommand.self, UserCommand.self, AuditCommand.self, ConfigCommand.self, DoctorCommand.self, EvalCommand.self, NightlyCommand.self, ScoreCommand.self, TitleCommand.self, DemoCommand.self,
        ]
    )
}
