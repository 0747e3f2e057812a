import Foundation

/// File and folder names are bytes; Swift strings are Unicode. A name that is not UTF-8
/// (a Latin-1 `café` is `caf\xe9`) is shown escaped — each byte that is not part of valid
/// UTF-8 as `\xNN` — and a folder reached through such a name is graded from a copy
/// whose path is UTF-8, because Foundation's path APIs re-encode bytes with U+FFFD and
/// would find no such folder.
public enum ByteNames {
    /// `bytes` as UTF-8 when valid, else with every invalid byte escaped as `\xNN`.
    public static func escaped(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        var out = ""
        var i = 0
        while i < bytes.count {
            // the longest valid UTF-8 sequence starting here, else one escaped byte
            var taken = false
            for n in (1...min(4, bytes.count - i)).reversed() {
                if let s = String(validating: bytes[i..<(i + n)], as: UTF8.self), s.unicodeScalars.count == 1 {
                    out += s
                    i += n
                    taken = true
                    break
                }
            }
            if !taken {
                out += "\\x" + String(format: "%02x", bytes[i])
                i += 1
            }
        }
        return out
    }

    /// The raw bytes of the command-line argument that Swift decoded to `argument`, when
    /// they are not valid UTF-8 (also as the value of `--option=value`); nil otherwise.
    public static func rawArgument(decodedAs argument: String) -> [UInt8]? {
        for i in 1..<Int(CommandLine.argc) {
            guard let p = CommandLine.unsafeArgv[i] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
            guard String(validating: bytes, as: UTF8.self) == nil else { continue }
            if String(decoding: bytes, as: UTF8.self) == argument { return bytes }
            if let eq = bytes.firstIndex(of: UInt8(ascii: "=")), String(decoding: bytes[(eq + 1)...], as: UTF8.self) == argument {
                return Array(bytes[(eq + 1)...])
            }
        }
        return nil
    }

    /// The entries of the folder at `path` (raw bytes), without `.` and `..`.
    public static func entries(_ path: [UInt8]) -> [[UInt8]] {
        guard let dir = withC(path, { opendir($0) }) else { return [] }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        return names
    }

    /// Whether `path` (raw bytes) is a directory, without following a last symlink.
    public static func isDirectory(_ path: [UInt8], followingLink: Bool = true) -> Bool {
        var st = stat()
        let r = withC(path) { followingLink ? stat($0, &st) : lstat($0, &st) }
        return r == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// A copy of the folder at `path` (raw bytes) in a new temporary folder named
    /// `escaped(last component)`, with every name escaped. Only folders and regular files
    /// are copied (a symlink or FIFO in a submission is never followed, as when grading
    /// in place); at most `maxFiles` files and `maxBytes` bytes.
    public static func utf8Copy(of path: [UInt8], maxFiles: Int = 4096, maxBytes: Int = 64 << 20) throws -> String {
        let last = path.split(separator: UInt8(ascii: "/")).last.map(Array.init) ?? path
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("hyperlab-names-\(UUID().uuidString)")
        let dest = base.appendingPathComponent(escaped(last)).path
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        var files = 0
        var bytes = 0
        func copy(_ from: [UInt8], _ to: String, depth: Int) throws {
            guard depth < 16 else { return }
            for name in entries(from) {
                let src = from + [UInt8(ascii: "/")] + name
                let dst = (to as NSString).appendingPathComponent(escaped(name))
                var st = stat()
                guard withC(src, { lstat($0, &st) }) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR:
                    try FileManager.default.createDirectory(atPath: dst, withIntermediateDirectories: true)
                    try copy(src, dst, depth: depth + 1)
                case S_IFREG:
                    files += 1
                    bytes += Int(st.st_size)
                    guard files <= maxFiles, bytes <= maxBytes else {
                        throw CocoaError(.fileReadTooLarge, userInfo: [NSLocalizedDescriptionKey: "more than \(maxFiles) files or \(maxBytes >> 20) MiB"])
                    }
                    let fd = withC(src) { open($0, O_RDONLY | O_NOFOLLOW) }
                    guard fd >= 0 else { continue }
                    let data = FileHandle(fileDescriptor: fd, closeOnDealloc: true).readDataToEndOfFile()
                    FileManager.default.createFile(atPath: dst, contents: data)
                default:
                    continue
                }
            }
        }
        try copy(path, dest, depth: 0)
        return dest
    }

    private static func withC<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        (bytes + [0]).withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}
