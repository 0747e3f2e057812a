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
                var parts: [String] = []
                for i in 0..<call.count {
                    switch call.value(Int32(i + 1)) {
                    case .string(let s): parts.append(s)
                    case .integer(let n): parts.append(String(n))
                    case .number(let d): parts.append(LuaValue.format(d))
                    case .boolean(let b): parts.append(b ? "true" : "false")
                    case .nil, .none: parts.append("nil")
                    case let v: parts.append(call.describe(v))
                    }
                }
                for line in parts.joined(separator: " ").split(separator: "\n", omittingEmptySubsequences: false) {
                    self.session.emit(String(line), student: true)
                }
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
}
