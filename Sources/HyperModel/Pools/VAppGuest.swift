/// When VMware Tools run in a guest, for a vApp's "continue when VMware Tools are ready"
/// (datacenter-facts §1.4) and guest shutdowns. The model has no guest boot otherwise, so
/// it takes one [M]: Tools run `VMSpec.bootSeconds` (30 s by default, the full-VM start of
/// datacenter-facts §4.6/§6.3) after each power-on, and at once after a resume (the
/// guest was running when it was suspended). A VM without Tools never reports them.
extension VM {
    /// Called as the VM starts running (power-on, HA restart or resume).
    func bootStarted(resuming: Bool) {
        toolsReadyAt = resuming ? now : now + .seconds(spec.bootSeconds)
        fixCPUFeatures(resuming: resuming)
    }

    /// VMware Tools run in the guest now: it is on, has Tools, and has booted.
    public var toolsReady: Bool { state == .on && tools && now >= toolsReadyAt }

    /// When Tools started (or will) after the last power-on, nil when they do not run
    /// and will not (off, suspended, or no Tools).
    public var toolsReadyTime: SimTime? { state == .on && tools ? toolsReadyAt : nil }
}
