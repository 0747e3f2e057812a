import Foundation
@testable import LabGrading
import LabRuntime

/// A root made of the base system only, with bubblewrap: /usr and /etc of this machine
/// read-only, nothing of /opt (so no Swift toolchain), empty files bound over the Lua and
/// libstdc++ shared libraries, an empty /usr/local and /tmp, no network. Each run binds
/// the folders it is given and runs one shell script inside.
struct CleanRoot {
    /// The files hidden from the root: what a grader image would not have.
    static let hiddenLibraries = [
        "/usr/lib/x86_64-linux-gnu/liblua5.4.so.0.0.0", "/usr/lib/x86_64-linux-gnu/liblua5.4-c++.so.0.0.0",
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30",
    ].filter { FileManager.default.fileExists(atPath: $0) }

    static let bwrap = ["/usr/bin/bwrap", "/bin/bwrap"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether bubblewrap is installed and may make namespaces here.
    static let available: Bool = {
        guard bwrap != nil else { return false }
        return (try? CleanRoot(binds: []).run("true").code) == 0
    }()

    static var tarball: String {
        CommandTests.root.appendingPathComponent("dist/hyperlab-\(Engine.version)-linux-x86_64.tar.gz").path
    }

    /// `make test` sets HYPERLAB_REQUIRE_DIST=1: there a missing tarball fails the tests
    /// instead of skipping them.
    static var distRequired: Bool { ProcessInfo.processInfo.environment["HYPERLAB_REQUIRE_DIST"] == "1" }

    /// (host folder, path inside), writable.
    var binds: [(String, String)]
    let empty: String

    init(binds: [(String, String)]) throws {
        self.binds = binds
        empty = temporaryFolder() + "/empty"
        FileManager.default.createFile(atPath: empty, contents: Data())
    }

    func arguments(_ script: String, env: [String: String]) -> [String] {
        var a = [
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin", "--ro-bind", "/etc", "/etc",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/usr/local",
            "--unshare-all", "--die-with-parent", "--clearenv",
            "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", "/tmp", "--setenv", "LANG", "C.UTF-8",
        ]
        for lib in Self.hiddenLibraries { a += ["--ro-bind", empty, lib] }
        for (host, inside) in binds { a += ["--bind", host, inside] }
        for (k, v) in env.sorted(by: { $0.key < $1.key }) { a += ["--setenv", k, v] }
        return a + ["--chdir", "/tmp", "/bin/sh", "-c", script]
    }

    /// Runs `script` with /bin/sh inside the root: its exit code and output (both streams).
    func run(_ script: String, env: [String: String] = [:]) throws -> (code: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.bwrap ?? "/usr/bin/bwrap")
        p.arguments = arguments(script, env: env)
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Runs a program on this machine (tar, the release binary) and returns its exit code and output.
func runHost(_ exe: String, _ args: [String], in dir: String? = nil) throws -> (code: Int32, out: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    if let dir { p.currentDirectoryURL = URL(fileURLWithPath: dir) }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Unpacks a stored zip (as `hyperlab pack` writes them) into `dir`, keeping modes.
func unzip(_ zip: String, into dir: String) throws {
    for (name, (data, mode)) in readStoredZip(try Data(contentsOf: URL(fileURLWithPath: zip))) {
        let path = (dir as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: Int(mode & 0o777)])
    }
}
