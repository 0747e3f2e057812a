/// The shell's own commands, written with a leading colon so they cannot be Lua.
public enum ShellMeta: Equatable, Sendable {
    case run(String)
    case top
    case help
    case quit
    case unknown(String)

    /// The command a line names, or nil when the line is Lua.
    public static func parse(_ line: String) -> ShellMeta? {
        let t = line.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix(":") else { return nil }
        let parts = t.dropFirst().split(separator: " ", maxSplits: 1)
        let name = parts.first.map(String.init) ?? ""
        let arg = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case "run": return .run(arg)
        case "top": return .top
        case "help", "h", "?": return .help
        case "quit", "q", "exit": return .quit
        default: return .unknown(name)
        }
    }

    public static let helpText = """
        Type Lua: each line runs in the lab's state; what it returns is shown (an object as a panel).
        Globals stay from line to line, and so do top-level locals. An unfinished line (an open
        function, table or string) continues on the next.
          :run 5 min   advance simulated time (as lab.run_for("5 min"))
          :top         open hyperlab top on the world so far (q comes back here)
          :help        this text
          :quit        leave (also Ctrl-D on an empty line)
        Keys: Tab completes API names (lab., h: methods, h. properties), up/down walk the history,
        Ctrl-A/E start/end, Ctrl-U/K delete before/after the cursor, Ctrl-W the word before it,
        Ctrl-C drops the line. The API reference: `hyperlab docs` or docs/api.md.
        """
}
