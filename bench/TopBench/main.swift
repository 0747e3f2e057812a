import Foundation
import HyperModel
import HyperTop

// Benchmark of `hyperlab top` (bench/README.md): a 100-VM host recorded for an hour,
// then (1) scrubbing to random points of the run and (2) redrawing at 10 frames/s.
// Usage: TopBench [vms] [seconds]

func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func wall() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

let args = CommandLine.arguments
let vmCount = args.count > 1 ? Int(args[1]) ?? 100 : 100
let seconds = args.count > 2 ? Int64(args[2]) ?? 3600 : 3600

func world(recorded: Bool) throws -> (Datacenter, TopRecorder?) {
    let dc = Datacenter(seed: 1)
    let rec = recorded ? TopRecorder(attachingTo: dc) : nil
    let h = try dc.addHost(HostSpec(name: "esx01", cpus: 32, mhz: 2400, memory: 512 * Units.GiB))
    for i in 0..<vmCount {
        let v = try h.createVM(VMSpec(name: "vm\(i + 1)", vcpus: 1 + i % 4, memory: 4 * Units.GiB))
        try v.powerOn()
        try v.run(CPUWorkload(threads: 1 + i % 4, load: 0.3 + Double(i % 7) / 10))
        try v.run(MemoryWorkload(size: 2 * Units.GiB, active: 1 * Units.GiB, rate: Double(64 * Units.MiB)))
    }
    return (dc, rec)
}

var t0 = cpuSeconds()
let (plain, _) = try world(recorded: false)
try plain.run(for: .seconds(seconds))
let plainCPU = cpuSeconds() - t0
t0 = cpuSeconds()
let (dc, recorder) = try world(recorded: true)
try dc.run(for: .seconds(seconds))
let recordedCPU = cpuSeconds() - t0
let recording = recorder!.recording
print("run: \(vmCount) VMs, \(seconds) s simulated, \(recording.frameCount) frames, \(recording.storedValues) values (\(recording.storedValues * 8 / 1024) KiB)")
print(String(format: "  model alone %.2f s CPU, recorded %.2f s CPU (recorder %+.1f %%)", plainCPU, recordedCPU, (recordedCPU / plainCPU - 1) * 100))

// (1) scrubbing: the cursor jumps to a random frame and the screen is built and rendered
var random = SystemRandomNumberGenerator()
var state = TopViewState()
state.playing = false
var worst = 0.0, total = 0.0
let jumps = 2000
for n in 0..<jumps {
    state.frame = Int.random(in: 0..<recording.frameCount, using: &random)
    state.panel = TopPanel.allCases[n % 4]
    let start = wall()
    let screen = TopScreenBuilder.build(recording, state, width: 80, height: 24)
    let text = TopRender.ansi(screen, color: true)
    let t = wall() - start
    precondition(!text.isEmpty)
    worst = max(worst, t)
    total += t
}
print(String(format: "scrub: %d jumps to random frames, mean %.3f ms, worst %.3f ms (the budget: 100 ms)", jumps, total / Double(jumps) * 1000, worst * 1000))

// (2) playback at 10 frames/s for 30 s of wall time, in a 200x60 terminal (every row
// of the 100 VMs sorted, 50 drawn), written to /dev/null as the terminal would be
let null = FileHandle(forWritingAtPath: "/dev/null")!
state = TopViewState()
state.speed = 10
state.frame = 0
let frames = 300
let c0 = cpuSeconds(), w0 = wall()
for i in 0..<frames {
    state.frame = i % recording.frameCount
    state.panel = i % 100 < 50 ? .cpu : .memory
    let text = TopRender.ansi(TopScreenBuilder.build(recording, state, width: 200, height: 60), color: true)
    null.write(Data(text.utf8))
    let next = w0 + Double(i + 1) / 10
    let wait = next - wall()
    if wait > 0 { usleep(UInt32(wait * 1e6)) }
}
let cpu = cpuSeconds() - c0, elapsed = wall() - w0
print(String(format: "redraw: %d frames at 10 frames/s in %.1f s: %.3f s CPU = %.2f %% of one core (the budget: 20 %%), %.3f ms per frame",
             frames, elapsed, cpu, cpu / elapsed * 100, cpu / Double(frames) * 1000))
