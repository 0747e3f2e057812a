import Foundation

/// Which submission `run`, `check` and `grade` use: one rule for all of them, so a
/// student's `hyperlab check` and an author's `hyperlab run` never disagree about what
/// they graded.
///
/// Given `--submission PATH`: a folder is the submission; a file named like one of the
/// lab's answer files (`answer.lua`) stands for its folder; any other file is refused,
/// because the lab reads files by name and would not find it.
///
/// Without it, the first of these that exists:
/// 1. the current folder, when it holds an answer file (a student's folder of work, or the
///    unpacked student package);
/// 2. the lab folder, when it holds one (`hyperlab check path/to/lab` from elsewhere);
/// 3. the lab's `solution/` (an author's lab);
/// 4. nothing, for a lab without `starter/` (it reads no submission).
/// A lab with `starter/` and none of these is refused with what to do: copy the starter.
public enum SubmissionChoice {
    /// The files a submission of `lab` is made of: those at the top of its `starter/`,
    /// else `answer.lua`.
    public static func answerFiles(of lab: LabLocation) -> [String] {
        let starter = (lab.directory as NSString).appendingPathComponent("starter")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: starter)) ?? [])
            .filter { isFile((starter as NSString).appendingPathComponent($0)) && !$0.hasPrefix(".") }
            .sorted()
        return files.isEmpty ? ["answer.lua"] : files
    }

    public static func resolve(_ given: String?, lab: LabLocation, option: String = "--submission",
                               currentFolder: String = FileManager.default.currentDirectoryPath) throws -> String? {
        let answers = answerFiles(of: lab)
        if let given { return try folder(for: given, answers: answers, option: option) }
        for candidate in [currentFolder, lab.directory] where answers.contains(where: { isFile((candidate as NSString).appendingPathComponent($0)) }) {
            return candidate == currentFolder ? "." : candidate
        }
        let solution = (lab.directory as NSString).appendingPathComponent("solution")
        if isFolder(solution) { return solution }
        let starter = (lab.directory as NSString).appendingPathComponent("starter")
        guard isFolder(starter) else { return nil }
        let name = answers[0]
        let here = lab.directory == "." || standardized(lab.directory) == standardized(currentFolder)
        let copy = here ? "starter/\(name)" : (starter as NSString).appendingPathComponent(name)
        let whereNot = here ? "the current folder holds none" : "neither the current folder nor \(lab.directory) holds one"
        throw UsageError("""
            no \(name) to check: \(whereNot).
            Start from the starter: `cp \(copy) .`, edit \(name), then run this again;
            or name the folder of your work with \(option) FOLDER.
            """)
    }

    /// `path` as a submission folder.
    static func folder(for path: String, answers: [String], option: String) throws -> String {
        if isFolder(path) { return path }
        guard FileManager.default.fileExists(atPath: path) else { throw UsageError("\(option) \(path): no such folder") }
        let name = (path as NSString).lastPathComponent
        guard answers.contains(name) else {
            throw UsageError("""
                \(option) \(path) is a file, not a folder: give the folder that holds \(answers.joined(separator: ", ")) \
                (the lab reads \(answers.count == 1 ? "that file" : "those files") by name)
                """)
        }
        let dir = (path as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }

    static func standardized(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    static func isFile(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
    }

    static func isFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}
