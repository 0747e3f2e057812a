/// What each key does to the view state (the terminal loop only reads keys and draws).
/// A key that does nothing leaves the state as it was and says so in the status line.
public enum TopController {
    public enum Outcome: Equatable { case redraw, quit, interrupted }

    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 5, 10, 20, 50]

    public static func apply(_ key: TopKey, to s: inout TopViewState, _ r: TopRecording, width: Int = 80, height: Int = 24) -> Outcome {
        let last = r.frameCount - 1
        let wasHelp = s.showHelp
        s.status = nil
        if wasHelp {
            s.showHelp = false
            if key == .interrupt { return .interrupted }
            return .redraw
        }
        func move(_ d: Int) {
            s.playing = false
            s.frame = min(max(s.frame + d, 0), last)
        }
        switch key {
        case .interrupt: return .interrupted
        case .char("q"): return .quit
        case .char("h"), .char("?"): s.showHelp = true
        case .char(" "): s.playing.toggle()
        case .char("s"): move(1)
        case .left, .char("["): move(-1)
        case .right, .char("]"): move(1)
        case .pageUp, .char("{"): move(-10)
        case .pageDown, .char("}"): move(10)
        case .home: move(-s.frame)
        case .end: move(last - s.frame)
        case .char("+"), .char("="):
            s.speed = speeds.first { $0 > s.speed } ?? s.speed
            if s.speed == speeds.last { s.status = "fastest speed: \(TopHeader.trim(s.speed)) frames/s" }
        case .char("-"), .char("_"):
            s.speed = speeds.last { $0 < s.speed } ?? s.speed
            if s.speed == speeds.first { s.status = "slowest speed: \(TopHeader.trim(s.speed)) frames/s" }
        case .tab, .backTab:
            let n = r.hostNames.count
            if n < 2 { s.status = "only one host" } else {
                s.host = (s.host + (key == .tab ? 1 : n - 1)) % n
                s.selectedVM = nil
            }
        case .up, .down: select(key == .up ? -1 : 1, &s, r)
        case .char("e"), .char("E"):
            guard s.panel == .cpu else {
                s.status = "e expands a VM into its vCPU worlds in the CPU panel (press c)"
                break
            }
            let rows = TopScreenBuilder.sortedVMs(r.frame(s.frame), s)
            guard let id = s.selectedVM ?? rows.first?.id else {
                s.status = "no VM to expand"
                break
            }
            s.selectedVM = id
            if s.expanded.contains(id) { s.expanded.remove(id) } else { s.expanded.insert(id) }
        case .char(let c):
            if let p = TopPanel.allCases.first(where: { $0.key == c }) {
                s.panel = p
            } else if c == "N" {
                s.sort[s.panel] = "GID"
            } else if let col = s.panel.columns.first(where: { $0.sortKey == c }) {
                s.sort[s.panel] = col.title
            } else {
                let keys = s.panel.columns.compactMap(\.sortKey).map(String.init).joined(separator: " ")
                s.status = "\(c): no such key in the \(s.panel.rawValue) panel (sort keys: \(keys); h for help)"
            }
        case .unknown(let what): s.status = "\(what): no such key (h for help)"
        }
        return .redraw
    }

    /// Moves the selection one row up or down the sorted list.
    static func select(_ d: Int, _ s: inout TopViewState, _ r: TopRecording) {
        let rows = TopScreenBuilder.sortedVMs(r.frame(s.frame), s)
        guard !rows.isEmpty else { return }
        let at = rows.firstIndex { $0.id == s.selectedVM } ?? 0
        s.selectedVM = rows[min(max(at + d, 0), rows.count - 1)].id
    }

    /// Playback: the next frame when playing, stopping (paused) at the last.
    public static func tick(_ s: inout TopViewState, _ r: TopRecording) {
        guard s.playing else { return }
        if s.frame < r.frameCount - 1 { s.frame += 1 } else {
            s.playing = false
            s.status = "end of the run: [ or left arrow to go back, Home for the start"
        }
    }
}
