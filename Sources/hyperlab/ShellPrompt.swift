import Foundation
import LabRuntime
import LineEdit

/// The interactive prompt: a line read in raw mode with the line editor, then run with
/// the terminal as it was found (so output and a Ctrl-C during a long `:run` behave as
/// in any program). History is saved after every line.
final class ShellPrompt {
    private var editor: LineEditor
    private let driver: ShellDriver
    private let historyPath: String?
    /// Keys read after an Enter in the same read (pasted or typed ahead): the next line's.
    private var typedAhead: [LineKey] = []

    init(_ driver: ShellDriver, historyPath: String?) {
        self.driver = driver
        self.historyPath = historyPath
        editor = LineEditor(history: historyPath.map { LineHistory.load($0) } ?? LineHistory())
    }

    func run() -> Int32 {
        while true {
            guard let line = read() else { break }
            driver.shell.panelWidth = RawTerminal.size().width
            if let p = historyPath { editor.history.save(p) }
            if ShellInterrupt.during(driver.shell.interruptHandle, { driver.handle(line) }) == .quit { break }
        }
        driver.finish()
        return 0
    }

    /// One line, or nil for Ctrl-D on an empty line or a terminal that went away.
    private func read() -> String? {
        do { try RawTerminal.enter(alternateScreen: false) } catch {
            FileHandle.standardError.write(Data("hyperlab shell: \(error)\n".utf8))
            return nil
        }
        defer {
            ShellInterrupt.install()
            RawTerminal.restore()
        }
        draw()
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            if !typedAhead.isEmpty {
                let keys = typedAhead
                typedAhead = []
                if let line = apply(keys) { return line }
                continue
            }
            var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, -1)
            if ready < 0 { if errno == EINTR { continue } else { return nil } }
            if fds.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return nil }
            let n = Foundation.read(STDIN_FILENO, &buffer, buffer.count)
            if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) { return nil }
            guard n > 0 else { continue }
            if let line = apply(LineKeys.decode(Array(buffer[0..<n]))) { return line }
        }
    }

    /// Applies keys until one ends the line: .some(line), .some(nil) for the end of input,
    /// nil while the line goes on. The keys after the one that ended it are kept.
    private func apply(_ keys: [LineKey]) -> String?? {
        for (i, key) in keys.enumerated() {
            switch editor.apply(key) {
            case .redraw: draw()
            case .submit(let line):
                RawTerminal.write("\r\n")
                typedAhead = Array(keys[(i + 1)...])
                return .some(line)
            case .endOfInput:
                RawTerminal.write("\r\n")
                typedAhead = Array(keys[(i + 1)...])
                return .some(nil)
            case .cancelled:
                RawTerminal.write("^C\r\n")
                driver.dropPending()
                draw()
            case .complete: complete()
            case .clearScreen:
                RawTerminal.write("\u{1B}[H\u{1B}[2J")
                draw()
            case .none: break
            }
        }
        return nil
    }

    /// `>> ` while a chunk is open, as lua's prompt.
    private var prompt: String { driver.continuing ? ">> " : "> " }

    /// The prompt and the line, the cursor where the editor has it. A line wider than the
    /// terminal scrolls sideways (the part around the cursor is shown), so it never wraps
    /// and every redraw stays on one row.
    private func draw() {
        let room = max(8, RawTerminal.size().width - prompt.count - 1)
        let chars = editor.buffer
        var start = 0
        if chars.count > room { start = min(max(0, editor.cursor - room / 2), chars.count - room) }
        let end = min(chars.count, start + room)
        var s = "\r" + prompt + String(chars[start..<end]) + "\u{1B}[K"
        let back = end - editor.cursor
        if back > 0 { s += "\u{1B}[\(back)D" }
        RawTerminal.write(s)
    }

    /// Tab: one match is inserted; several insert what they share, or are listed.
    private func complete() {
        let (replace, matches) = driver.shell.complete(editor.textBeforeCursor)
        let partial = String(editor.textBeforeCursor.suffix(replace))
        if matches.count == 1 {
            editor.replaceBeforeCursor(replace, with: matches[0])
        } else if matches.isEmpty {
            RawTerminal.write("\u{7}")
            return
        } else {
            let common = ShellCompletion.commonPrefix(matches)
            if common.count > partial.count {
                editor.replaceBeforeCursor(replace, with: common)
            } else {
                RawTerminal.write("\r\n" + columns(matches) + "\r\n")
            }
        }
        draw()
    }

    private func columns(_ names: [String]) -> String {
        let width = RawTerminal.size().width
        let cell = (names.map(\.count).max() ?? 0) + 2
        let perRow = max(1, width / cell)
        var rows: [String] = []
        for start in stride(from: 0, to: names.count, by: perRow) {
            rows.append(names[start..<min(start + perRow, names.count)].map { $0.padding(toLength: cell, withPad: " ", startingAt: 0) }
                .joined().trimmingCharacters(in: .whitespaces))
        }
        return rows.joined(separator: "\r\n")
    }
}
