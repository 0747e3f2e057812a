/// What a top frame holds for each host, VM and vCPU: one number per field, stored row
/// after row (`TopRecording`). Bytes are stored in bytes, rates per second, CPU states
/// in % of the interval summed over the VM's vCPUs (as esxtop shows a VM's group).
public enum HostField: Int, CaseIterable, Sendable {
    case host            // index into `TopRecording.hostNames`
    case cpuUsed         // % of the host's CPU capacity (PCPU USED(%) AVG)
    case capacity, free, minFree, consumed, state, sharedSaved
    case ballooned, balloonTarget, swapped, swapTarget, compressed, compressionSaved
    case swapInRate, swapOutRate
    case vms             // powered-on (or paused) VMs on the host
}

public enum VMField: Int, CaseIterable, Sendable {
    case vm, host        // indices into `TopRecording.vmNames` / `hostNames`
    case power           // 1 on, 2 paused
    case vcpus, vcpuStart
    case used, run, ready, costop, limited, wait, usedMHz
    case memsz, grant, consumed, sztgt, touched, shared, overhead
    case ballooned, balloonTarget, swapped, swapTarget, compressed
    case swapInRate, swapOutRate, compressRate, decompressRate
    case diskBytesRate, diskCommandsRate, diskLatency
    case netBitsRate, netPacketsRate
}

public enum VCPUField: Int, CaseIterable, Sendable {
    case run, ready, costop, limited, wait
}

extension HostField { static let width = HostField.allCases.count }
extension VMField { static let width = VMField.allCases.count }
extension VCPUField { static let width = VCPUField.allCases.count }
