import LuaKit

/// `lab.feedback` and `lab.reveal`: what a lab tells students, and how much its failed
/// checks give away.
extension LabAPI {
    func feedbackFunctions() -> [LuaFunctionDecl] {
        [
            LuaFunctionDecl(
                "feedback",
                doc: "Output meant for students: shown in every student-visible result (inside a check, under that check). Plain `print` in a lab script reaches only the author's and instructor's views.",
                params: [LuaParam("...", "any", "Values joined by spaces, as print shows them.")]
            ) { [unowned(unsafe) self] call in
                self.emitFeedback(call, from: 1)
                return 0
            },
            LuaFunctionDecl(
                "feedback_once",
                doc: "`lab.feedback(...)` the first time `key` is given in this check (outside checks: in this run); later calls with the same key say nothing. For per-case feedback where one broken answer (an error, a value of the wrong kind) would otherwise give the same message once per case: key it by what went wrong, e.g. the error's text.",
                params: [LuaParam("key", "string", "What the message is about; a message is shown once per key."),
                         LuaParam("...", "any", "The message: values joined by spaces, as print shows them.")]
            ) { [unowned(unsafe) self] call in
                let key = try call.string(1, "key")
                guard call.count >= 2 else {
                    throw LuaError("lab.feedback_once: no message after the key \(call.describe(call.value(1))) (write lab.feedback_once(key, text))")
                }
                if self.session.firstTime(feedbackKey: key) { self.emitFeedback(call, from: 2) }
                return 0
            },
            LuaFunctionDecl(
                "reveal",
                doc: "The lab's default for what its failed checks show students (a check's own `reveal` option wins): \"none\" (the student's value and the hint), \"direction\" (also too high or too low) or \"value\" (the expected value too).",
                params: [LuaParam("mode", "\"none\"|\"direction\"|\"value\"")]
            ) { [unowned(unsafe) self] call in
                let mode = try call.string(1, "mode")
                guard let r = Reveal(rawValue: mode) else {
                    throw LuaError("lab.reveal: \"\(mode)\" is not a reveal setting (\(Reveal.allowed))")
                }
                self.session.defaultReveal = r
                return 0
            },
        ]
    }

    /// The arguments from `first` on, joined as print joins them, as student output.
    private func emitFeedback(_ call: LuaCall, from first: Int32) {
        var parts: [String] = []
        for i in stride(from: first, through: call.count, by: 1) {
            switch call.value(i) {
            case .string(let s): parts.append(s)
            case .integer(let n): parts.append(String(n))
            case .number(let d): parts.append(LuaValue.format(d))
            case .boolean(let b): parts.append(b ? "true" : "false")
            case .nil, .none: parts.append("nil")
            case let v: parts.append(call.describe(v))
            }
        }
        for line in parts.joined(separator: " ").split(separator: "\n", omittingEmptySubsequences: false) {
            session.emit(String(line), student: true)
        }
    }
}
