/// One decision of the model, with its reason in `message`.
public struct LogEvent: Sendable, Equatable {
    public var time: SimTime
    /// A dotted category: "vm.power", "admission", "memory.state", "cpu.scheduler"...
    public var kind: String
    /// The object it concerns, as Lua shows it: "VM(web01)", "Host(esx01)".
    public var subject: String
    public var message: String
}

/// The event log: every state change with its cause. Its SHA-256 fingerprint is kept
/// as events arrive, so the whole log never needs serialising to compare two runs.
public final class EventLog {
    public private(set) var events: [LogEvent] = []
    private var hasher = SHA256()
    /// Events beyond this many are counted and hashed but not kept.
    public var retainLimit = 200_000
    public private(set) var total = 0
    /// Told of each event of `observedKinds` once it is recorded (the alarms' event and
    /// state triggers): one set lookup per event, and only while someone observes.
    var observer: ((LogEvent) -> Void)?
    var observedKinds: Set<String> = []

    public init() {}

    public func record(_ time: SimTime, _ kind: String, _ subject: String, _ message: String) {
        assert(EventKinds.isKnown(kind), "event kind \(kind) is not in EventKinds.all")
        total += 1
        hasher.update("\(time.micros)\t\(kind)\t\(subject)\t\(message)\n")
        if events.count < retainLimit {
            events.append(LogEvent(time: time, kind: kind, subject: subject, message: message))
        }
        if let observer, observedKinds.contains(kind) {
            observer(LogEvent(time: time, kind: kind, subject: subject, message: message))
        }
    }

    /// "sha256:…" of every event recorded so far.
    public var digest: String { "sha256:" + hasher.hexDigest() }

    public func events(kind: String? = nil, subject: String? = nil) -> [LogEvent] {
        events.filter { e in
            (kind == nil || e.kind == kind! || e.kind.hasPrefix(kind! + ".")) && (subject == nil || e.subject == subject!)
        }
    }
}
