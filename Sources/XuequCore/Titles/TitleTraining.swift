import Foundation

/// Continuing-education hours (继续教育学时) dated on the day they were earned.
public struct TitleTraining: Sendable, Equatable {
    public var on: Day
    public var hours: Decimal

    public init(on: Day, hours: Decimal) {
        self.on = on
        self.hours = hours
    }
}
