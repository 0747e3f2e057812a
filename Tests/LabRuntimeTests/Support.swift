import Foundation
@testable import LabRuntime

/// Writes a lab script (and submission files) to a temporary folder and runs it on a
/// thread with a large stack, as the runner does.
func runLab(_ source: String, submission files: [String: String]? = nil, seed: UInt64? = nil,
            params: [String: String] = [:], limits: LabLimits? = nil, charts: Bool = false,
            hidden: [String: String]? = nil) -> LabRunResult {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hyperlab-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let lab = dir.appendingPathComponent("lab.lua")
    try! source.write(to: lab, atomically: true, encoding: .utf8)
    var options = LabOptions(labFile: lab.path, labDirectory: dir.path, seed: seed)
    options.params = params
    if let limits { options.limits = limits }
    options.charts = charts
    if let hidden {
        let h = dir.appendingPathComponent("hidden")
        try! FileManager.default.createDirectory(at: h, withIntermediateDirectories: true)
        for (name, text) in hidden { try! text.write(to: h.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        options.hiddenDirectory = h.path
    }
    if let files {
        let sub = dir.appendingPathComponent("submission")
        try! FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for (name, text) in files {
            let file = sub.appendingPathComponent(name)
            try! FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try! text.write(to: file, atomically: true, encoding: .utf8)
        }
        options.submissionDirectory = sub.path
    }
    final class Box: @unchecked Sendable { var result: LabRunResult? }
    let box = Box()
    let frozen = options
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.result = try! LabSession(options: frozen).run()
        done.signal()
    }
    thread.stackSize = 64 << 20
    thread.start()
    done.wait()
    return box.result!
}

extension LabRunResult {
    func check(_ name: String) -> CheckOutcome? { checks.first { $0.name == name } }
}

let host = #"local h = lab.host{ name = "esx01", cpus = 4, memory = "16 GiB" }"#
