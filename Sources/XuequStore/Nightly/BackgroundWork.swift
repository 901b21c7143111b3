import Foundation

/// One piece of work on its own thread, joined with `wait()`. The work must not share mutable
/// state with the caller until it is joined (the batch gives it its own connection), which is
/// what makes the unchecked `Sendable` sound.
final class BackgroundWork<Value>: @unchecked Sendable {
    private var result: Result<Value, Error>?
    private let done = DispatchSemaphore(value: 0)
    private var joined = false

    init(_ body: @escaping () throws -> Value) {
        let work = UncheckedBox(body)
        let thread = Thread { [self] in
            self.result = Result { try work.value() }
            self.done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// The work's value, or its error; waits for it to finish. Call once.
    func wait() throws -> Value {
        join()
        return try result!.get()
    }

    /// Waits without looking at the outcome (on the caller's error path).
    func join() {
        if !joined {
            done.wait()
            joined = true
        }
    }
}

private final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
