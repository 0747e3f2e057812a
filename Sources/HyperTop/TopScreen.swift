/// A screen of top as text and styles, before any terminal code: what tests read and the
/// terminal renderer colours.
public enum TopStyle: Sendable, Equatable {
    case plain, header, title, sortedTitle, selected, good, warn, alarm, dim, status
}

public struct TopSpan: Equatable {
    public var text: String
    public var style: TopStyle
    public init(_ text: String, _ style: TopStyle = .plain) {
        self.text = text
        self.style = style
    }
}

public struct TopLine: Equatable {
    public var spans: [TopSpan]
    public init(_ spans: [TopSpan] = []) { self.spans = spans }
    public init(_ text: String, _ style: TopStyle = .plain) { spans = [TopSpan(text, style)] }
    public var text: String { spans.map(\.text).joined() }
}

public struct TopScreen: Equatable {
    public var lines: [TopLine]
    public var width: Int
    public var height: Int
    public var text: String { lines.map(\.text).joined(separator: "\n") }
}

/// What the viewer shows: the panel, host, sort, expanded VMs, selection and time cursor.
public struct TopViewState: Sendable {
    public var panel = TopPanel.cpu
    /// The host shown (index into `TopRecording.hostNames`).
    public var host = 0
    /// Sort column title per panel.
    public var sort: [TopPanel: String] = [:]
    /// VMs (ids) shown with their vCPU worlds.
    public var expanded: Set<Int> = []
    /// The selected row's VM id (the one `e` expands), nil: the first row.
    public var selectedVM: Int?
    public var frame = 0
    public var playing = true
    /// Frames played per second.
    public var speed = 2.0
    public var showHelp = false
    /// A short message in the last line (a key that does nothing, the terminal too small).
    public var status: String?

    public init() {}

    public func sortColumn(_ p: TopPanel) -> String { sort[p] ?? p.defaultSort }
}
