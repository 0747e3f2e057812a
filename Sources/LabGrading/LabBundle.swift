import Foundation
import HyperModel

/// The lab's identity for reproducibility: a hash of its scripts (`lab.lua`, then every
/// `hidden/*.lua` by name), recorded in every result so a regrade can tell whether the
/// lab changed.
public enum LabBundle {
    public static func hash(_ lab: LabLocation, hidden: String?) -> String {
        var h = SHA256()
        func add(_ path: String, as name: String) {
            guard let data = FileManager.default.contents(atPath: path) else { return }
            h.update(name.utf8)
            h.update([0])
            h.update(data)
            h.update([0])
        }
        add(lab.file, as: "lab.lua")
        if let dir = hidden, let files = try? FileManager.default.contentsOfDirectory(atPath: dir) {
            for f in files.filter({ $0.hasSuffix(".lua") }).sorted() {
                add((dir as NSString).appendingPathComponent(f), as: "hidden/" + f)
            }
        }
        return "sha256:" + h.hexDigest()
    }
}
