import Foundation

/// The files of a package being built, in the order they were added, written as one
/// stored zip. Paths are relative, with `/`; every byte comes from the lab, the binary or
/// the templates of the package, so the same inputs give the same zip.
public struct PackageFiles {
    public private(set) var entries: [(path: String, data: Data, executable: Bool)] = []

    public init() {}

    public var paths: [String] { entries.map(\.path) }

    public mutating func add(_ path: String, _ data: Data, executable: Bool = false) {
        entries.append((path, data, executable))
    }

    public mutating func add(_ path: String, text: String, executable: Bool = false) {
        add(path, Data(text.utf8), executable: executable)
    }

    /// Adds `file` from disk as `path` when it exists; says whether it did.
    @discardableResult
    public mutating func addFile(_ file: String, as path: String) -> Bool {
        guard let d = FileManager.default.contents(atPath: file) else { return false }
        add(path, d, executable: FileManager.default.isExecutableFile(atPath: file))
        return true
    }

    /// Adds every file under `folder` (in name order, hidden files skipped) below `prefix`.
    @discardableResult
    public mutating func addFolder(_ folder: String, as prefix: String, only: (String) -> Bool = { _ in true }) -> Int {
        guard let e = FileManager.default.enumerator(atPath: folder) else { return 0 }
        var count = 0
        for rel in e.allObjects.compactMap({ $0 as? String }).sorted() {
            guard !rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }), only(rel) else { continue }
            let path = (folder as NSString).appendingPathComponent(rel)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { continue }
            if addFile(path, as: prefix + rel) { count += 1 }
        }
        return count
    }

    public func zip() -> Data {
        var z = ZipWriter()
        for e in entries { z.add(e.path, e.data, executable: e.executable) }
        return z.finished()
    }

    /// Writes the zip; a failure is an `OutputError` (exit 3), never a half-written file.
    public func write(to path: String) throws {
        try Self.checkWritable(path)
        do { try zip().write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw OutputError("cannot write \(path): \(Self.reason(error))")
        }
    }

    /// Refuses, before any work, a path whose folder is missing or that is a folder.
    public static func checkWritable(_ path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        if !dir.isEmpty, !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue) {
            throw OutputError("cannot write \(path): the folder \(dir) does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw OutputError("cannot write \(path): it is a folder; give a file name such as \((path as NSString).appendingPathComponent("package.zip"))")
        }
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain,
           let s = strerror(Int32(u.code)) { return String(cString: s) }
        return ns.localizedDescription
    }
}

/// A file that could not be written or read for reasons outside the command line:
/// a missing folder, no permission, a full disk (exit 3).
public struct OutputError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// gzip through the system's `gzip` (on every Linux: Debian and Ubuntu mark it essential),
/// so packages carry the 60 MB binary at about 24 MB and unpack it with `gzip -d`.
public enum Gzip {
    public static func compress(_ file: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        // -n: no name or time stamp, so the same binary gives the same bytes
        p.arguments = ["-c", "exec gzip -6 -n -c -- \"$0\"", file]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw OutputError("cannot run gzip: \(error.localizedDescription)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let why = p.terminationStatus == 127 ? "gzip is not installed (apt-get install gzip)" : message.trimmingCharacters(in: .whitespacesAndNewlines)
            throw OutputError("cannot compress \(file): \(why)")
        }
        return data
    }
}
