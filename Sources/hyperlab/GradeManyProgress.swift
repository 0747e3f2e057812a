import Foundation
import LabGrading
import LabRuntime

/// What grade-many shows while it works, on standard output. On a terminal: one progress
/// line redrawn in place. Otherwise (CI logs, files): one line per finished submission —
/// name, score/max, status, seconds, and the reason when it has one — so a log shows
/// progress and a killed job still says how far it got.
final class GradeManyProgress: @unchecked Sendable {
    private let total: Int
    private let terminal: Bool
    private let nameWidth: Int
    private var done: Int
    private var errors = 0
    private var last = ""
    private let lock = NSLock()

    init(total: Int, alreadyDone: Int, names: [String], terminal: Bool) {
        self.total = total
        self.terminal = terminal
        done = alreadyDone
        nameWidth = min(40, names.map(\.count).max() ?? 0)
    }

    /// A line of its own (the resume note, a warning), keeping the progress line below it.
    func note(_ text: String, error: Bool = false) {
        lock.lock()
        defer { lock.unlock() }
        if terminal && !last.isEmpty { emit("\r\u{1B}[K", error: false) }
        emit((error ? "hyperlab: " : "") + text + "\n", error: error)
        if terminal && !last.isEmpty { emit(last, error: false) }
    }

    func finished(_ row: GradebookRow, seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        if row.status.isError { errors += 1 }
        let score: String = row.status == .notGraded ? "-" : JSON.number(row.score)
        if terminal {
            let width = 30
            let filled = total == 0 ? width : done * width / total
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            var line = "\(bar) \(done)/\(total)"
            if errors > 0 { line += "  \(errors) error\(errors == 1 ? "" : "s")" }
            line += "  \(row.submission): \(score)/\(JSON.number(row.maxScore))"
            last = "\r" + String(line.prefix(100)) + "\u{1B}[K"
            emit(last, error: false)
        } else {
            let max: String = JSON.number(row.maxScore)
            var line = pad(row.submission, nameWidth) + "  " + pad("\(score)/\(max)", 2 * max.count + 4) + "  "
                + pad(row.status.rawValue, 10) + "  " + String(format: "%6.2f s", seconds)
            if !row.reason.isEmpty { line += "  " + (row.reason.count > 160 ? row.reason.prefix(159) + "…" : row.reason) }
            emit(line + "\n", error: false)
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if terminal && !last.isEmpty { emit("\n", error: false) }
        last = ""
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// Unbuffered, so lines reach a CI log as they happen.
    private func emit(_ s: String, error: Bool) {
        (error ? FileHandle.standardError : FileHandle.standardOutput).write(Data(s.utf8))
    }
}
