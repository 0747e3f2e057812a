import Foundation

/// A lab given on the command line: a `.lua` file, or a folder holding `lab.lua`
/// (with `README.md`, `starter/`, `solution/` and, for instructors, `hidden/`).
public struct LabLocation: Sendable {
    public let file: String
    public let directory: String
    /// The lab's name: its folder, or the file's name without `.lua`.
    public let name: String

    public init(file: String, directory: String, name: String) {
        self.file = file
        self.directory = directory
        self.name = name
    }

    public init(_ path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw UsageError("no lab at \(path): give a lab folder (holding lab.lua) or a .lua file")
        }
        if isDir.boolValue {
            let lab = (path as NSString).appendingPathComponent("lab.lua")
            guard FileManager.default.fileExists(atPath: lab) else {
                if path == "." {
                    throw UsageError("the current folder holds no lab.lua: run this in a lab folder, or name the lab (e.g. hyperlab check path/to/lab)")
                }
                throw UsageError("\(path) is a folder without lab.lua: a lab folder holds lab.lua, README.md, starter/ and solution/")
            }
            file = lab
            directory = path
            name = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
        } else {
            file = path
            directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
            let base = URL(fileURLWithPath: path).lastPathComponent
            name = base.hasSuffix(".lua") ? String(base.dropLast(4)) : base
        }
    }

    /// The library's fallback when a caller gives no submission: the reference solution,
    /// else the starter. The command line chooses with `SubmissionChoice` instead (the
    /// student's answer.lua first) and passes its choice explicitly.
    public var defaultSubmission: String? {
        for sub in ["solution", "starter"] {
            let p = (directory as NSString).appendingPathComponent(sub)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue { return p }
        }
        return nil
    }
}

/// A mistake in how the command was called (exit code 4).
public struct UsageError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
