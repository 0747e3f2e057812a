/// vCenter's alarm states (datacenter-facts §3.1): Normal, Warning, Alert.
public enum AlarmLevel: UInt8, CaseIterable, Sendable {
    case green = 0, yellow = 1, red = 2

    public var name: String {
        switch self {
        case .green: return "green"
        case .yellow: return "yellow"
        case .red: return "red"
        }
    }

    public init?(name: String) {
        guard let l = AlarmLevel.allCases.first(where: { $0.name == name }) else { return nil }
        self = l
    }
}

/// The kinds of object an alarm watches.
public enum AlarmTarget: String, CaseIterable, Sendable {
    case vm, host, datastore, cluster

    public static var names: [String] { allCases.map(\.rawValue) }
    /// "VMs", "hosts"… for messages.
    public var plural: String { self == .vm ? "VMs" : rawValue + "s" }
}

/// What an alarm is set on: every object of a kind, or one object (for a host or a
/// cluster, its children of the alarm's target kind: an alarm set on a parent applies to
/// its children, §3.1).
public enum AlarmScope {
    case all(AlarmTarget)
    case vm(VM)
    case host(Host)
    case datastore(Datastore)
    case cluster(Cluster)

    public var kind: AlarmTarget {
        switch self {
        case .all(let k): return k
        case .vm: return .vm
        case .host: return .host
        case .datastore: return .datastore
        case .cluster: return .cluster
        }
    }

    public var description: String {
        switch self {
        case .all(let k): return "every \(k.rawValue)"
        case .vm(let v): return v.description
        case .host(let h): return h.description
        case .datastore(let d): return d.description
        case .cluster(let c): return c.description
        }
    }

    /// The target kinds an alarm set here may watch.
    public var targets: [AlarmTarget] {
        switch self {
        case .all(let k): return [k]
        case .vm: return [.vm]
        case .datastore: return [.datastore]
        case .host: return [.host, .vm, .datastore]
        case .cluster: return [.cluster, .host, .vm, .datastore]
        }
    }
}

/// A metric condition: "is above" (or, with `below`, "is below") a warning and/or a
/// critical threshold for the whole condition length.
public struct MetricTrigger {
    public var metric: AlarmMetric
    public var warning: Double?
    public var critical: Double?
    public var lasting: SimTime
    public var below: Bool

    public init(metric: AlarmMetric, warning: Double?, critical: Double?, lasting: SimTime = .zero, below: Bool = false) {
        self.metric = metric
        self.warning = warning
        self.critical = critical
        self.lasting = lasting
        self.below = below
    }
}

/// A state condition: the object's state `is` one of `values` (or, with `negate`, is
/// none of them); the alarm turns `level` at once, with no condition length.
public struct StateTrigger {
    public var state: AlarmState
    public var values: [String]
    public var negate: Bool
    public var level: AlarmLevel

    public init(state: AlarmState, values: [String], negate: Bool = false, level: AlarmLevel = .red) {
        self.state = state
        self.values = values
        self.negate = negate
        self.level = level
    }
}

/// An event condition: an event of `kind` (a kind of the event log or its category)
/// about the object, whose message holds `message` when given, turns the alarm `level`
/// at once. It stays so until an event of `reset` (and `resetMessage`) about the object,
/// or a manual reset — as vCenter, whose event alarms do not reset by themselves.
public struct EventTrigger {
    /// vCenter-style names the contract uses for kinds of the event log:
    /// `event = "host.failure"` (lua-api.md) is the log's `host.fail`.
    public static let aliases = ["host.failure": "host.fail", "host.recovery": "host.recover"]

    public var kind: String
    public var message: String?
    public var level: AlarmLevel
    public var reset: String?
    public var resetMessage: String?

    public init(kind: String, message: String? = nil, level: AlarmLevel = .red, reset: String? = nil, resetMessage: String? = nil) {
        self.kind = kind
        self.message = message
        self.level = level
        self.reset = reset
        self.resetMessage = resetMessage
    }
}

public enum AlarmTrigger {
    case metric(MetricTrigger)
    case state(StateTrigger)
    case event(EventTrigger)
}

/// The four transitions vCenter runs actions on.
public enum AlarmTransitionKind: String, CaseIterable, Sendable {
    case greenToYellow = "green->yellow"
    case yellowToRed = "yellow->red"
    case redToYellow = "red->yellow"
    case yellowToGreen = "yellow->green"

    public static var names: [String] { allCases.map(\.rawValue) }
    var into: AlarmLevel {
        switch self {
        case .greenToYellow, .redToYellow: return .yellow
        case .yellowToRed: return .red
        case .yellowToGreen: return .green
        }
    }

    /// The transitions a change passes through: green → red is green → yellow then
    /// yellow → red, as the alarm passes warning on its way to alert.
    static func path(_ from: AlarmLevel, _ to: AlarmLevel) -> [AlarmTransitionKind] {
        switch (from, to) {
        case (.green, .yellow): return [.greenToYellow]
        case (.yellow, .red): return [.yellowToRed]
        case (.red, .yellow): return [.redToYellow]
        case (.yellow, .green): return [.yellowToGreen]
        case (.green, .red): return [.greenToYellow, .yellowToRed]
        case (.red, .green): return [.redToYellow, .yellowToGreen]
        default: return []
        }
    }
}

/// An action written outside the model (a Lua function of the lab script): the engine
/// calls it after the sample that triggered it, between events, never inside one.
public protocol AlarmScript: AnyObject {
    func run(_ call: AlarmActionCall) throws
}

/// What an alarm action is told (vCenter passes the same as VMWARE_ALARM_* variables).
public struct AlarmActionCall {
    public let alarm: Alarm
    public let subject: AlarmSubject
    public let from: AlarmLevel
    public let to: AlarmLevel
    public let value: AlarmValue
    public let time: SimTime
    /// A repeat while the state holds, not the transition itself.
    public let repeated: Bool
}

public struct AlarmAction {
    public enum Body {
        /// One of `AlarmActions.names(for:)`: "power_off", "suspend", "reset", "power_on"…
        case builtin(String)
        case script(AlarmScript)
    }
    public var body: Body
    public var transitions: [AlarmTransitionKind]
    /// Repeat every `every` while the state the transition led to holds (default: once).
    public var repeats: Bool
    public var every: SimTime

    public init(body: Body, transitions: [AlarmTransitionKind] = [.yellowToRed], repeats: Bool = false,
                every: SimTime = .seconds(Int64(300))) {
        self.body = body
        self.transitions = transitions
        self.repeats = repeats
        self.every = every
    }
}

/// An alarm definition: what it is set on, its triggers combined with any or all (with
/// all, the least severe matched level wins), and its actions.
public struct AlarmSpec {
    public var name: String
    public var scope: AlarmScope
    public var target: AlarmTarget
    public var triggers: [AlarmTrigger]
    public var all: Bool
    public var actions: [AlarmAction]

    public init(name: String, scope: AlarmScope, target: AlarmTarget? = nil, triggers: [AlarmTrigger], all: Bool = false,
                actions: [AlarmAction] = []) {
        self.name = name
        self.scope = scope
        self.target = target ?? scope.kind
        self.triggers = triggers
        self.all = all
        self.actions = actions
    }
}

/// The value a transition saw: a metric's number, a state's value, an event's message.
public enum AlarmValue: Equatable {
    case none
    case number(Double)
    case text(String)
}

/// An object an alarm watches.
public enum AlarmSubject {
    case vm(VM)
    case host(Host)
    case datastore(Datastore)
    case cluster(Cluster)

    public var description: String {
        switch self {
        case .vm(let v): return v.description
        case .host(let h): return h.description
        case .datastore(let d): return d.description
        case .cluster(let c): return c.description
        }
    }

    public var object: AnyObject {
        switch self {
        case .vm(let v): return v
        case .host(let h): return h
        case .datastore(let d): return d
        case .cluster(let c): return c
        }
    }
}

/// One change of an alarm's state for one subject.
public struct AlarmHistoryEntry {
    public let time: SimTime
    public let subject: AlarmSubject
    public let from: AlarmLevel
    public let to: AlarmLevel
    public let value: AlarmValue
}
