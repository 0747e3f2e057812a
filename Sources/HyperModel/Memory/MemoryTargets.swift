import Foundation

/// ESX's memory allocation targets (model-facts §2.3): reservations are guaranteed,
/// limits and configured memory cap, and between them memory goes by min-funding
/// revocation with the idle memory tax (Waldspurger OSDI'02 §5.2).
///
/// A VM's adjusted shares-per-page ratio is ρ = S / (P · (f + k(1 − f))) with
/// f = active / P and k = 1 / (1 − τ); memory is revoked from the VM with the lowest ρ
/// until every VM between its bounds has the same ρ. For a given ρ, a VM with active
/// memory a holds P = x if x < a, else a + (x − a)/k, where x = S/ρ — so the total is
/// monotone in ρ and one bisection finds the allocation that fills the host.
/// With τ = 0.75 an idle VM ends with a quarter of an equal-shares active one's
/// memory (behaviour 24: H/5 against 4H/5).
enum MemoryTargets {
    struct Demand {
        var shares: Double
        var active: Double
        /// Lower and upper bounds in pages: reservation, and min(limit, configured, need).
        var low: Double
        var high: Double
    }

    /// Targets in pages for `demands` sharing `available` pages, written into `out`.
    static func compute(_ demands: [Demand], available: Double, idleTax: Double, into out: inout [Int64]) {
        if out.count != demands.count { out = Array(repeating: 0, count: demands.count) }
        let wanted = demands.reduce(0) { $0 + $1.high }
        if wanted <= available {
            for (i, d) in demands.enumerated() { out[i] = Int64(d.high) }
            return
        }
        let floor = demands.reduce(0) { $0 + $1.low }
        if floor >= available {
            for (i, d) in demands.enumerated() { out[i] = Int64(d.low) }
            return
        }
        let k = 1 / max(1 - idleTax, 1e-6)
        func held(_ d: Demand, _ rho: Double) -> Double {
            let x = d.shares / rho
            let p = x < d.active ? x : d.active + (x - d.active) / k
            return min(max(p, d.low), d.high)
        }
        // bisection on log ρ: the total falls as ρ grows
        var lo = -60.0, hi = 60.0
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            let total = demands.reduce(0) { $0 + held($1, exp(mid)) }
            if total > available { lo = mid } else { hi = mid }
        }
        let rho = exp(hi)
        for (i, d) in demands.enumerated() { out[i] = Int64(held(d, rho).rounded(.down)) }
    }
}
