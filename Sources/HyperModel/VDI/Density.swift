/// How many desktops a host holds (datacenter-facts §5 "Density", behaviour 78): by CPU,
/// 8–10 desktops per core (Horizon 6.x architecture planning) divided by the desktop's
/// vCPUs; by memory, machine memory × the memory over-commitment allowed ÷ the desktop's
/// configured memory. The smaller one binds.
public struct DesktopDensity: Equatable, Sendable {
    public var byCPU: ClosedRange<Int>
    public var byMemory: Int
    /// Desktops the host supports: the memory bound or the top of the CPU band, whichever is lower.
    public var supported: Int { min(byCPU.upperBound, byMemory) }
    public var memoryBound: Bool { byMemory < byCPU.upperBound }

    public init(cores: Int, memory: Int64, desktopVCPUs: Int, desktopMemory: Int64,
                perCore: ClosedRange<Int> = 8...10, memoryOvercommit: Double = 1) throws {
        guard cores >= 1, desktopVCPUs >= 1, desktopMemory > 0, memory > 0, memoryOvercommit > 0, perCore.lowerBound >= 1 else {
            throw ModelError("desktop density: cores, memory, desktop vCPUs and memory must be more than 0")
        }
        byCPU = (cores * perCore.lowerBound / desktopVCPUs)...(cores * perCore.upperBound / desktopVCPUs)
        byMemory = Int(Double(memory) * memoryOvercommit / Double(desktopMemory))
    }
}
