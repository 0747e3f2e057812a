import Foundation

/// The shell's history: the lines entered, oldest first, capped, kept in a file between
/// sessions. A line equal to the one before it or blank is not added.
public struct LineHistory: Sendable {
    public private(set) var entries: [String] = []
    public let cap: Int

    public init(cap: Int = 1000, entries: [String] = []) {
        self.cap = max(1, cap)
        for e in entries { add(e) }
    }

    public mutating func add(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty, line != entries.last else { return }
        entries.append(line)
        if entries.count > cap { entries.removeFirst(entries.count - cap) }
    }

    /// `$XDG_STATE_HOME/hyperlab/history` when XDG_STATE_HOME is set, else `~/.hyperlab_history`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty {
            return (state as NSString).appendingPathComponent("hyperlab/history")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".hyperlab_history")
    }

    /// The history in `path` (empty when there is none or it cannot be read: a history is
    /// a convenience, never a reason not to start).
    public static func load(_ path: String, cap: Int = 1000) -> LineHistory {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return LineHistory(cap: cap) }
        return LineHistory(cap: cap, entries: text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init))
    }

    /// Writes the history, creating its folder; returns the error's text when it cannot.
    @discardableResult
    public func save(_ path: String) -> String? {
        do {
            let dir = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try entries.map { $0 + "\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
            return nil
        } catch {
            return error.localizedDescription
        }
    }
}
