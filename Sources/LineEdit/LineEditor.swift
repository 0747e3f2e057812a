/// The line being edited: its characters, the cursor, and the walk through history. Pure
/// state, so every key's effect is tested without a terminal.
public struct LineEditor: Sendable {
    public private(set) var buffer: [Character] = []
    /// Index in `buffer` the next character is inserted at (0...buffer.count).
    public private(set) var cursor = 0
    public var history: LineHistory
    /// While walking history: the entry shown (nil = the line being written).
    private var historyIndex: Int?
    /// The line being written when the walk started, given back below the newest entry.
    private var draft: [Character] = []

    public enum Action: Equatable, Sendable {
        /// The line changed or the cursor moved: draw it again.
        case redraw
        /// Enter: the line is done (it is added to history).
        case submit(String)
        /// Ctrl-D on an empty line: leave the shell.
        case endOfInput
        /// Ctrl-C: the line was dropped.
        case cancelled
        /// Tab: the caller completes the word before the cursor.
        case complete
        /// Ctrl-L: clear the screen and draw the line again.
        case clearScreen
        /// A key with no effect here.
        case none
    }

    public init(history: LineHistory = LineHistory()) {
        self.history = history
    }

    public var text: String { String(buffer) }

    public mutating func apply(_ key: LineKey) -> Action {
        switch key {
        case .char(let c):
            buffer.insert(c, at: cursor)
            cursor += 1
        case .left, .right, .home, .end, .ctrlA, .ctrlE:
            let before = cursor
            switch key {
            case .left: cursor = max(0, cursor - 1)
            case .right: cursor = min(buffer.count, cursor + 1)
            case .home, .ctrlA: cursor = 0
            default: cursor = buffer.count
            }
            return cursor == before ? .none : .redraw
        case .backspace:
            guard cursor > 0 else { return .none }
            buffer.remove(at: cursor - 1)
            cursor -= 1
        case .delete:
            guard cursor < buffer.count else { return .none }
            buffer.remove(at: cursor)
        case .ctrlD:
            if buffer.isEmpty { return .endOfInput }
            guard cursor < buffer.count else { return .none }
            buffer.remove(at: cursor)
        case .ctrlU:
            buffer.removeSubrange(0..<cursor)
            cursor = 0
        case .ctrlK:
            buffer.removeSubrange(cursor...)
        case .ctrlW:
            // the word before the cursor and the blanks after it, as readline's unix-word-rubout
            var start = cursor
            while start > 0, buffer[start - 1] == " " { start -= 1 }
            while start > 0, buffer[start - 1] != " " { start -= 1 }
            buffer.removeSubrange(start..<cursor)
            cursor = start
        case .ctrlC:
            reset()
            return .cancelled
        case .enter:
            let line = text
            history.add(line)
            reset()
            return .submit(line)
        case .up: return walkHistory(-1)
        case .down: return walkHistory(+1)
        case .tab: return .complete
        case .ctrlL: return .clearScreen
        case .unknown: return .none
        }
        return .redraw
    }

    /// Replaces the `length` characters before the cursor with `text` (a completion).
    public mutating func replaceBeforeCursor(_ length: Int, with text: String) {
        let start = max(0, cursor - length)
        buffer.replaceSubrange(start..<cursor, with: Array(text))
        cursor = start + text.count
    }

    /// The text from the start of the line to the cursor.
    public var textBeforeCursor: String { String(buffer[..<cursor]) }

    private mutating func reset() {
        buffer = []
        cursor = 0
        historyIndex = nil
        draft = []
    }

    private mutating func walkHistory(_ step: Int) -> Action {
        let entries = history.entries
        guard !entries.isEmpty else { return .none }
        let current = historyIndex ?? entries.count
        let next = current + step
        guard next >= 0, next <= entries.count, next != current else { return .none }
        if historyIndex == nil { draft = buffer }
        if next == entries.count {
            buffer = draft
            historyIndex = nil
        } else {
            buffer = Array(entries[next])
            historyIndex = next
        }
        cursor = buffer.count
        return .redraw
    }
}
