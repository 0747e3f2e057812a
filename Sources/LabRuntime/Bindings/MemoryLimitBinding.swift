import HyperModel
import LuaKit

/// `lab.memory_limit`: what a run's memory estimate is checked against before it starts
/// (HyperModel Kernel/MemoryCheck.swift).
extension LabAPI {
    func memoryLimitFunction() -> LuaFunctionDecl {
        LuaFunctionDecl(
            "memory_limit",
            doc: """
                What each `lab.run_for` and `lab.run_until` is checked against before it starts: the least memory the run needs \
                (model state plus every series' samples to the end of the run, counted as if every sample repeated the one before) \
                must not exceed the smallest of the process's RLIMIT_AS and RLIMIT_DATA, its cgroup's memory.max and the machine's \
                MemAvailable ("auto", the default), or the size given; "none" checks nothing. A run that cannot fit is refused with \
                the figures (at least, and up to what it needs if no sample repeats), instead of being killed by the kernel.
                """,
            params: [LuaParam("limit", "integer|string", "\"auto\", \"none\", or a size such as \"8 GiB\".")]
        ) { [unowned(unsafe) self] call in
            let check = self.world(call).memoryCheck
            switch call.value(1) {
            case .string("auto"):
                check.enabled = true
                check.limit = nil
            case .string("none"):
                check.enabled = false
                check.limit = nil
            case let v:
                let bytes = try Quantity.bytes(v, "lab.memory_limit", "limit")
                check.enabled = true
                check.limit = MemoryLimit(bytes: bytes, source: "set by lab.memory_limit")
            }
            return 0
        }
    }
}
