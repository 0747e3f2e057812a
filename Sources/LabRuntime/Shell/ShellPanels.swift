import HyperModel

/// The shell's panel of a VM: `hyperlab run`'s Summary panel (resources and storage) with
/// the last sample's esxtop CPU figures, which is what a student looks at first.
enum ShellPanels {
    static func vm(_ vm: VM, in world: Datacenter?) -> String {
        let p = RunCharts.Panel(vm, in: world)
        func b(_ k: String) -> String { Units.formatBytes(p.memory[k] ?? 0) }
        func pct(_ v: Double) -> String { String(format: "%.1f", v) }
        let cpu = vm.metrics.cpu
        var out = "┌ VM \(p.name) on \(p.host) · \(p.state) · \(p.guest)\n"
        out += "│ CPU       \(p.vcpus) vCPU\(p.vcpus == 1 ? "" : "s") · \(Units.formatMHz(p.cpuUsedMHz)) used"
            + (p.cpuReservationMHz > 0 ? " · \(Units.formatMHz(p.cpuReservationMHz)) reserved" : "") + "\n"
        out += "│ esxtop    %RUN \(pct(cpu.run)) · %RDY \(pct(cpu.ready)) · %CSTP \(pct(cpu.costop)) · %WAIT \(pct(cpu.wait))"
            + (cpu.limited > 0 ? " · %MLMTD \(pct(cpu.limited))" : "") + "\n"
        out += "│ Memory    \(b("configured")) provisioned · \(b("consumed")) consumed · \(b("active")) active"
            + ((p.memory["overhead"] ?? 0) > 0 ? " · \(b("overhead")) overhead" : "") + "\n"
        let reclaimed = ["shared", "ballooned", "compressed", "swapped"].filter { (p.memory[$0] ?? 0) > 0 }
        if !reclaimed.isEmpty {
            out += "│ Reclaimed \(reclaimed.map { "\(b($0)) \($0)" }.joined(separator: " · "))\n"
        }
        out += "└ Storage   \(Units.formatBytes(p.storageProvisioned)) provisioned · \(Units.formatBytes(p.storageUsed)) used"
        return out
    }
}
