import Foundation

/// Finding a file in a student's submission the way students hand it in: a folder that
/// was zipped whole (Gradescope unpacks it as one folder) is descended into; a file with
/// a near-miss name (`Answer.lua`, `answer.lua.txt`) is named, never used silently.
enum SubmissionFiles {
    enum Lookup: Equatable {
        /// The file, and the folder it was found in relative to the submission ("" at the top).
        case found(path: String, folder: String)
        case missing(String)
    }

    /// What a platform or an editor adds to a zip, never the student's work.
    static func isClutter(_ name: String) -> Bool {
        name.hasPrefix(".") || name == "__MACOSX" || name == "Thumbs.db"
    }

    static func find(_ file: String, in root: String) -> Lookup {
        let fm = FileManager.default
        var dir = root
        var folder = ""
        for _ in 0..<4 {
            let candidate = (dir as NSString).appendingPathComponent(file)
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue { return .found(path: candidate, folder: folder) }
            let entries = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { !isClutter($0) }.sorted()
            // one folder and nothing else: the student zipped the folder itself
            guard entries.count == 1, !file.contains("/") else { break }
            let only = (dir as NSString).appendingPathComponent(entries[0])
            guard fm.fileExists(atPath: only, isDirectory: &isDir), isDir.boolValue else { break }
            dir = only
            folder += entries[0] + "/"
        }
        return .missing(describeMissing(file, in: dir, shown: folder))
    }

    /// "answer.lua was not found …": the near misses by name, and what the folder holds.
    static func describeMissing(_ file: String, in dir: String, shown folder: String) -> String {
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !isClutter($0) }.sorted()
        let base = (file as NSString).lastPathComponent.lowercased()
        let stem = (base as NSString).deletingPathExtension
        let near = entries.filter { e in
            let l = e.lowercased()
            return l == base || l.hasPrefix(base + ".") || (l as NSString).deletingPathExtension == stem
        }
        var text = "\(file) was not found in the submission"
        if !folder.isEmpty { text += " (nor in its folder \(folder))" }
        if let n = near.first {
            text += "; it holds \(n): rename it to \(file)"
            if n.lowercased() == base { text += " (names are case-sensitive)" }
        } else if entries.isEmpty {
            text += "; the submission is empty"
        } else {
            let shown = entries.prefix(10).map { e -> String in
                var isDir: ObjCBool = false
                FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(e), isDirectory: &isDir)
                return isDir.boolValue ? e + "/" : e
            }
            text += "; it holds " + shown.joined(separator: ", ") + (entries.count > 10 ? " and \(entries.count - 10) more" : "")
        }
        return text
    }

    /// A source as Lua reads it: a UTF-8 byte-order mark that editors put first is dropped.
    /// The file's bytes as Lua reads them: unchanged (never re-encoded, so bytes that are
    /// not UTF-8 stay the bytes they are), without a UTF-8 byte-order mark.
    static func source(_ data: Data) -> [UInt8] {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        return data.starts(with: bom) ? Array(data.dropFirst(3)) : Array(data)
    }
}
