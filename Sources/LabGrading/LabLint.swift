import Foundation
import LabRuntime
import LuaKit

/// Static checks of a lab folder before it is given to students: what `hyperlab lint`
/// reports besides luacheck's unknown globals.
public enum LabLint {
    public struct Finding: Sendable, Equatable {
        public var file: String
        public var line: Int?
        public var message: String
        public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
    }

    public static func findings(_ lab: LabLocation) -> [Finding] {
        var out: [Finding] = []
        let fm = FileManager.default
        func path(_ p: String) -> String { (lab.directory as NSString).appendingPathComponent(p) }
        if lab.file.hasSuffix("/lab.lua") || lab.file == "lab.lua" {
            for (dir, who) in [("solution", "the reference solution"), ("starter", "the students' starting point")]
            where !fm.fileExists(atPath: path(dir)) {
                out.append(Finding(file: lab.directory, line: nil, message: "no \(dir)/ folder (\(who)); `hyperlab verify` needs it"))
            }
            if !fm.fileExists(atPath: path("README.md")) {
                out.append(Finding(file: lab.directory, line: nil, message: "no README.md (the students' handout)"))
            }
        }
        var files = [lab.file]
        let hidden = path("hidden")
        if let names = try? fm.contentsOfDirectory(atPath: hidden) {
            files += names.filter { $0.hasSuffix(".lua") }.sorted().map { (hidden as NSString).appendingPathComponent($0) }
        }
        var declared: [String] = []
        var found: [Finding] = []
        var all = ""
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            found += checks(in: text, file: file, declared: &declared)
            found += expectations(in: text, file: file)
            if file == lab.file { found += submissions(in: text, file: file) }
            all += text + "\n"
        }
        // a check without points that others depend on is a gate, which is fine
        let gates = Set(declared.filter { all.contains("depends = \"\($0)\"") || all.contains("depends = '\($0)'") })
        return out + found.filter { f in !gates.contains { f.message.hasPrefix("check \"\($0)\" has 0 points") } }
    }

    /// Checks without points, `depends` on a check not declared before, timeouts above
    /// the cap, duplicate names.
    static func checks(in text: String, file: String, declared: inout [String]) -> [Finding] {
        var out: [Finding] = []
        let lines = text.components(separatedBy: "\n")
        let call = try! NSRegularExpression(pattern: #"\bcheck\s*\(\s*(["'])((?:\\.|(?!\1).)*)\1"#)
        for (i, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") { continue }
            let ns = line as NSString
            guard let m = call.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { continue }
            let name = ns.substring(with: m.range(at: 2))
            // the options: this line and the next few, up to the body
            var options = ns.substring(from: m.range.upperBound)
            for next in lines.dropFirst(i + 1).prefix(4) where !options.contains("function") { options += "\n" + next }
            if let f = options.range(of: "function") { options = String(options[..<f.lowerBound]) }
            if declared.contains(name) { out.append(Finding(file: file, line: i + 1, message: "check \"\(name)\" is declared twice")) }
            if let p = capture(#"\bpoints\s*=\s*([0-9.]+)"#, options), Double(p) == 0 {
                out.append(Finding(file: file, line: i + 1, message: "check \"\(name)\" has 0 points and nothing depends on it: it cannot change a grade"))
            }
            if let d = capture(#"\bdepends\s*=\s*["']([^"']*)["']"#, options), !declared.contains(d) {
                out.append(Finding(file: file, line: i + 1,
                                   message: "check \"\(name)\" depends on \"\(d)\", which is not declared before it: it would never run"))
            }
            for key in keys(ofOptions: options) where !LabVocabulary.checkOptions.contains(key) {
                out.append(Finding(file: file, line: i + 1, message: "check \"\(name)\": unknown option '\(key)'\(Suggest.didYouMean(key, LabVocabulary.checkOptions)) (allowed: \(LabVocabulary.checkOptions.joined(separator: ", ")))"))
            }
            if !options.contains("function"), options.range(of: #"^\s*(,\s*\{[^{}]*\})?\s*\)"#, options: .regularExpression) != nil {
                out.append(Finding(file: file, line: i + 1, message: "check \"\(name)\" has no body: write check(name, { options }, function() ... end)"))
            }
            if let t = capture(#"\btimeout\s*=\s*([0-9.]+)"#, options), let s = Double(t), s > 600 {
                out.append(Finding(file: file, line: i + 1, message: "check \"\(name)\" has a timeout of \(t) s; the most allowed is 600 s"))
            }
            declared.append(name)
        }
        return out
    }

    /// The top-level keys of an options table written `{ key = value, … }`.
    static func keys(ofOptions text: String) -> [String] {
        guard let open = text.firstIndex(of: "{") else { return [] }
        var depth = 0
        var keys: [String] = []
        var token = ""
        var inString: Character?
        for ch in text[open...] {
            if let q = inString { if ch == q { inString = nil }; continue }
            switch ch {
            case "\"", "'": inString = ch
            case "{", "(", "[": depth += 1; token = ""
            case "}", ")", "]":
                depth -= 1
                if depth == 0 { return keys }
            case "=" where depth == 1:
                let k = token.trimmingCharacters(in: .whitespacesAndNewlines)
                if !k.isEmpty, k.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { keys.append(k) }
                token = ""
            case ",": token = ""
            default: token.append(ch)
            }
        }
        return keys
    }

    /// `expect(x).to_equal(y)` (a dot where a colon belongs) and matchers that do not exist.
    static func expectations(in text: String, file: String) -> [Finding] {
        var out: [Finding] = []
        let call = try! NSRegularExpression(pattern: #"\bexpect\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\s*([.:])\s*([A-Za-z_][A-Za-z_0-9]*)"#)
        for (i, line) in text.components(separatedBy: "\n").enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("--") { continue }
            let ns = line as NSString
            for m in call.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
                let sep = ns.substring(with: m.range(at: 1))
                let name = ns.substring(with: m.range(at: 2))
                if sep == "." {
                    out.append(Finding(file: file, line: i + 1, message: "expect(...).\(name): call matchers with a colon: expect(x):\(name)(...)"))
                } else if !LabVocabulary.matchers.contains(name) && name != "number" {
                    out.append(Finding(file: file, line: i + 1, message: "expect(...):\(name): no such matcher\(Suggest.didYouMean(name, LabVocabulary.matchers))"))
                }
            }
        }
        return out
    }

    /// The lab's first `lab.submission` must say whether the student's code may simulate:
    /// left to the default, a quiz's answers can be asked of the simulator itself.
    static func submissions(in text: String, file: String) -> [Finding] {
        let call = try! NSRegularExpression(pattern: #"\blab\.submission\s*\(([^()]*)\)"#)
        for (i, line) in text.components(separatedBy: "\n").enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("--") { continue }
            let ns = line as NSString
            guard let m = call.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { continue }
            if ns.substring(with: m.range(at: 1)).contains("simulate") { return [] }
            return [Finding(file: file, line: i + 1, message: """
                lab.submission without `simulate`: the student's code may then build the lab's scenario in a world \
                of its own and return the simulator's answer; pass { simulate = false } for a quiz, or \
                { simulate = true } where experimenting in the simulator is part of the lab
                """)]
        }
        return []
    }

    static func capture(_ pattern: String, _ text: String) -> String? {
        let re = try! NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        guard let m = re.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return ns.substring(with: m.range(at: 1))
    }
}
