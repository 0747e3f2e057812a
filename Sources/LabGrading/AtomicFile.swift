import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that a crash, a `kill -9` or a power cut at any moment leaves either
/// the old file or the whole new one, never part of one. The bytes go to a temporary file
/// in the same folder (rename is atomic only within one file system), are forced to the
/// disk with fsync *before* the rename (else a power cut can leave the new name pointing
/// at an empty file), and the folder is synced after it so the rename itself is durable.
public enum AtomicFile {
    /// Temporary files are named `.NAME.PID.tmp`: hidden, and never taken for a result.
    static let temporarySuffix = ".tmp"

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = (folder as NSString).appendingPathComponent(".\(url.lastPathComponent).\(getpid())\(temporarySuffix)")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw FileWriteError(path: path, errno: errno) }
        var failure: Int32 = 0
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw FileWriteError(path: path, errno: failure)
        }
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    /// Removes the temporary files a killed writer left in `folder`; returns how many.
    @discardableResult
    public static func removeLeftovers(in folder: String) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for name in names where isTemporary(name) {
            if unlink((folder as NSString).appendingPathComponent(name)) == 0 { removed += 1 }
        }
        return removed
    }

    /// `.NAME.PID.tmp`, as `write` names them.
    static func isTemporary(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(temporarySuffix) else { return false }
        let stem = name.dropFirst().dropLast(temporarySuffix.count)
        guard let dot = stem.lastIndex(of: "."), dot != stem.startIndex else { return false }
        let pid = stem[stem.index(after: dot)...]
        return !pid.isEmpty && pid.allSatisfy(\.isASCII) && pid.allSatisfy(\.isNumber)
    }
}

/// A file that could not be written, with the system's reason.
public struct FileWriteError: LocalizedError, CustomStringConvertible {
    public let path: String
    public let reason: String

    init(path: String, errno code: Int32) {
        self.path = path
        reason = String(cString: strerror(code))
    }

    public var description: String { "cannot write \(path): \(reason)" }
    public var errorDescription: String? { reason }
}
