/// DRS rules (datacenter-facts §2.4): filled in by the rules step.
extension DRS {
    func ruleRefusal(_ vm: VM, on h: Host, _ L: DRSLoads) -> String? { nil }
    func ruleRefusal(spec: VMSpec, on h: Host) -> String? { nil }
    func mandatoryMoves(_ L: inout DRSLoads) -> [DRSMove] { [] }
}
