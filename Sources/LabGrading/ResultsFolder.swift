import Foundation
import LabRuntime

/// The folder grade-many writes a class's results to (`--out DIR`):
///
///     DIR/.manifest.json       which lab (bundle hash), engine and options made them
///     DIR/NAME.json            one result per submission folder NAME (JSONReport)
///     DIR/NAME.EXT             the same in --format's format, when one is given
///
/// Each file is written atomically as its submission finishes, the --format file before
/// the JSON one: a NAME.json that reads back whole and names this run's lab, bundle and
/// engine is a finished submission, anything else is graded again by `--resume`. The
/// manifest starts with a dot because submission folders never do, so no name collides.
public struct ResultsFolder: Sendable {
    public static let manifestName = ".manifest.json"
    static let kind = "hyperlab grade-many results"

    /// What must be the same for two runs' results to share one gradebook.
    public struct Identity: Equatable, Sendable {
        public var lab: String
        public var bundle: String
        public var engine = Engine.description
        public var seed: UInt64?
        public var params: [String: String]
        public var timeout: Double
        public var memoryMiB: Int

        public init(_ g: Grader) {
            lab = g.lab.name
            bundle = g.bundleHash
            seed = g.seed
            params = g.params
            timeout = g.timeout
            memoryMiB = g.memoryMiB
        }
    }

    /// A submission's result as an earlier run left it.
    public enum Stored: Equatable, Sendable {
        case done(GradebookRow)
        /// No result yet (or its --format file is missing): grade it.
        case missing
        /// Recorded as not graded (interrupted, out of time): grade it.
        case notGraded
        /// A file that cannot be trusted, and why: grade it, and say so.
        case untrusted(String)
    }

    public let path: String
    public let identity: Identity

    var manifestPath: String { file(ResultsFolder.manifestName) }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    public func resultPath(_ submission: String) -> String { file(submission + ".json") }
    public func formatPath(_ submission: String, _ f: ReportFormat) -> String { file(submission + "." + f.fileExtension) }

    private init(path: String, identity: Identity) {
        self.path = path
        self.identity = identity
    }

    /// A folder for a new run: created if need be; refused if it holds an earlier run.
    public static func create(_ path: String, identity: Identity) throws -> ResultsFolder {
        let folder = ResultsFolder(path: path, identity: identity)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw UsageError("--out \(path) is a file: give a folder for the results") }
            if FileManager.default.fileExists(atPath: folder.manifestPath) {
                throw UsageError("--out \(path) holds the results of an earlier grade-many run (\(manifestName)): add --resume to grade "
                                 + "only what it is missing, or give another folder (or remove this one) to grade the class again")
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try AtomicFile.write(manifest(identity), to: folder.manifestPath)
        } catch let e as FileWriteError {
            throw UsageError("--out \(path): \(e.description)")
        } catch {
            throw UsageError("--out \(path): cannot create the folder: \(error.localizedDescription)")
        }
        return folder
    }

    /// An earlier run's folder, to finish: refused, saying why, unless it was made by the
    /// same lab bundle, engine version and options as this run would use.
    public static func resume(_ path: String, identity: Identity) throws -> ResultsFolder {
        let folder = ResultsFolder(path: path, identity: identity)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw UsageError("--resume: --out \(path) is not a folder, so there is nothing to resume; run without --resume to grade the class")
        }
        guard let data = FileManager.default.contents(atPath: folder.manifestPath) else {
            throw UsageError("--resume: \(path) holds no \(manifestName), so it is not a grade-many results folder (or that run "
                             + "was killed before it began); run without --resume to grade the class")
        }
        let earlier: Manifest
        do { earlier = try JSONDecoder().decode(Manifest.self, from: data) } catch {
            throw UsageError("--resume refused: \(folder.manifestPath) cannot be read as a grade-many manifest; its results "
                             + "cannot be trusted: grade into another folder")
        }
        guard earlier.kind == kind else {
            throw UsageError("--resume refused: \(folder.manifestPath) is not a grade-many manifest (kind \"\(earlier.kind)\")")
        }
        let differences = differences(earlier, identity)
        guard differences.isEmpty else {
            throw UsageError("--resume refused: \(path) \(differences.joined(separator: "; ")); results that differ cannot "
                             + "share a gradebook: grade into another folder (or remove this one)")
        }
        AtomicFile.removeLeftovers(in: path)
        return folder
    }

    /// What differs between the run that made the folder and this one, said for people.
    static func differences(_ m: Manifest, _ now: Identity) -> [String] {
        var out: [String] = []
        if m.lab != now.lab { out.append("holds results of lab \(m.lab), not \(now.lab)") }
        if m.engine != now.engine { out.append("was graded by \(m.engine), this is \(now.engine) (another engine version may grade differently)") }
        if m.lab == now.lab && m.bundle != now.bundle {
            out.append("was graded with another version of \(now.lab)'s scripts (lab.lua and hidden/*.lua): bundle "
                       + "\(m.bundle) then, \(now.bundle) now")
        }
        func seed(_ s: UInt64?) -> String { s.map { "--seed \($0)" } ?? "the lab's own seed" }
        if m.seed != now.seed { out.append("was graded with \(seed(m.seed)), this run has \(seed(now.seed))") }
        func params(_ p: [String: String]) -> String {
            p.isEmpty ? "no --param" : p.keys.sorted().map { "--param \($0)=\(p[$0]!)" }.joined(separator: " ")
        }
        if m.params != now.params { out.append("was graded with \(params(m.params)), this run has \(params(now.params))") }
        if m.timeout_seconds != now.timeout {
            out.append("was graded with --timeout \(JSON.number(m.timeout_seconds)), this run has --timeout \(JSON.number(now.timeout))")
        }
        if m.memory_mib != now.memoryMiB { out.append("was graded with --memory \(m.memory_mib), this run has --memory \(now.memoryMiB)") }
        return out
    }

    /// What an earlier run left for `submission`.
    public func stored(_ submission: String, format: ReportFormat?) -> Stored {
        let p = resultPath(submission)
        guard FileManager.default.fileExists(atPath: p) else { return .missing }
        guard let data = FileManager.default.contents(atPath: p) else { return .untrusted("cannot be read") }
        guard let row = try? GradebookRow(json: data), let origin = row.origin else {
            return .untrusted(data.isEmpty ? "is empty (cut short by a crash?)" : "is not a whole result file (cut short by a crash, or edited?)")
        }
        var foreign: [String] = []
        if origin.lab != identity.lab { foreign.append("lab \(origin.lab)") }
        if origin.engine != identity.engine { foreign.append(origin.engine) }
        if origin.bundle != identity.bundle { foreign.append("bundle \(origin.bundle ?? "none")") }
        if row.submission != submission { foreign.append("submission \(row.submission)") }
        if !foreign.isEmpty { return .untrusted("is a result of another run (\(foreign.joined(separator: ", ")))") }
        if row.status == .notGraded { return .notGraded }
        if let f = format, f != .json, !FileManager.default.fileExists(atPath: formatPath(submission, f)) { return .missing }
        return .done(row)
    }

    /// Writes `r` as `submission`'s result: its --format file first, then the JSON, which
    /// marks it finished. A not-graded result gets only the JSON: no student-facing file
    /// shows a zero that is not a grade.
    public func write(_ r: GradeResult, as submission: String, format: ReportFormat?) throws {
        if let f = format, f != .json, r.notGraded == nil { try f.write(r, to: formatPath(submission, f)) }
        try ReportFormat.json.write(r, to: resultPath(submission))
    }

    static func manifest(_ i: Identity) -> String {
        var o: [String: JSON] = [
            "kind": .string(kind), "lab": .string(i.lab), "bundle": .string(i.bundle), "engine": .string(i.engine),
            "params": .object(i.params.mapValues { .string($0) }), "timeout_seconds": .number(i.timeout),
            "memory_mib": .number(Double(i.memoryMiB)),
        ]
        o["seed"] = i.seed.map { .unsigned($0) } ?? .null
        var out = ""
        JSON.object(o).write(into: &out, indent: 0)
        return out + "\n"
    }

    struct Manifest: Decodable {
        var kind: String
        var lab: String
        var bundle: String
        var engine: String
        var seed: UInt64?
        var params: [String: String]
        var timeout_seconds: Double
        var memory_mib: Int
    }
}

extension ReportFormat {
    /// The extension of this format's result file in a results folder.
    public var fileExtension: String {
        switch self {
        case .junit: return "xml"
        case .tap: return "tap"
        case .pretty, .github: return "txt"
        case .html: return "html"
        case .gradescope: return "gradescope.json"
        case .prairielearn: return "prairielearn.json"
        case .json: return "json"
        }
    }
}
