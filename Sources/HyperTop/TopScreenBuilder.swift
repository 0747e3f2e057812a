import Foundation

/// Builds a screen from one recorded frame and the view state: header lines, the panel's
/// column titles and rows (sorted, with expanded VMs' vCPU worlds), and a status line.
/// It reads the frame in place, so any frame costs the same to show.
public enum TopScreenBuilder {
    /// The smallest terminal top draws anything in; below 80×24 it shows what fits.
    public static let minimum = (width: 20, height: 3)

    public static func build(_ recording: TopRecording, _ state: TopViewState, width: Int, height: Int) -> TopScreen {
        guard width >= minimum.width, height >= minimum.height else {
            let line = TopLine("terminal \(width)x\(height) is too small for top (it needs 80x24)", .alarm)
            return TopScreen(lines: [clip(line, width)], width: width, height: height)
        }
        if state.showHelp { return TopScreen(lines: help(width: width, height: height), width: width, height: height) }
        let frame = recording.frame(min(max(state.frame, 0), recording.frameCount - 1))
        let host = frame.hostRow(id: state.host)
        var header = TopHeader.lines(frame, host: host, state: state, interval: interval(recording))
        // the panel keeps at least three rows: header lines go first when the terminal is short
        while header.count > 1 && height - header.count - 3 < 3 { header.removeLast() }
        var lines = header.map { clip($0, width) }
        if height - lines.count >= 6 { lines.append(TopLine()) }
        let tableRows = height - lines.count - 1
        lines += table(frame, state, width: width, rows: tableRows)
        while lines.count < height - 1 { lines.append(TopLine()) }
        lines.append(clip(statusLine(state, width: width, height: height), width))
        return TopScreen(lines: lines, width: width, height: height)
    }

    /// The seconds between frames (the sample interval), for the speed shown.
    static func interval(_ r: TopRecording) -> Double { r.sampleInterval }

    /// The columns that fit `width`: every column of priority 0, then by priority.
    public static func fit(_ columns: [TopColumn], width: Int) -> [TopColumn] {
        var used = columns.filter { $0.priority == 0 }.reduce(0) { $0 + $1.width + 1 }
        var keep = Set(columns.indices.filter { columns[$0].priority == 0 })
        for p in 1...9 {
            for i in columns.indices where columns[i].priority == p {
                if used + columns[i].width + 1 <= width {
                    keep.insert(i)
                    used += columns[i].width + 1
                }
            }
        }
        return columns.indices.filter { keep.contains($0) }.map { columns[$0] }
    }

    /// The VM rows of the host, in the panel's sort order (largest first; GID and names
    /// ascending), ties broken by GID so the order is the same every time.
    public static func sortedVMs(_ frame: TopFrame, _ state: TopViewState) -> [VMRow] {
        let rows = frame.vms(onHost: state.host)
        let title = state.sortColumn(state.panel)
        guard let col = state.panel.columns.first(where: { $0.title == title }), title != "GID" else { return rows }
        let keyed = rows.map { ($0, col.cell($0)) }
        return keyed.sorted { a, b in
            switch (a.1, b.1) {
            case let (.number(x), .number(y)) where x != y: return x > y
            case let (.text(x), .text(y)) where x != y: return x < y
            default: return a.0.id < b.0.id
            }
        }.map(\.0)
    }

    static func table(_ frame: TopFrame, _ state: TopViewState, width: Int, rows: Int) -> [TopLine] {
        var columns = fit(state.panel.columns, width: width)
        let used = columns.reduce(0) { $0 + $1.width + 1 }
        // the name column takes what is left, up to 24 more characters
        let grow = max(0, min(24, width - used))
        let sortTitle = state.sortColumn(state.panel)
        var titles: [TopSpan] = []
        for (i, c) in columns.enumerated() {
            let w = c.title == "NAME" || c.title == "USED-BY" ? c.width + grow : c.width
            if w != c.width { columns[i] = TopColumn(c.title, width: w, priority: c.priority, decimals: c.decimals, sortKey: c.sortKey, warnAt: c.warnAt, alarmAt: c.alarmAt, vcpu: c.vcpu, c.value) }
            titles.append(TopSpan(pad(c.title, w, right: isNumeric(c)) + " ", c.title == sortTitle ? .sortedTitle : .title))
        }
        var lines = [clip(TopLine(titles), width)]
        let vms = sortedVMs(frame, state)
        if vms.isEmpty {
            lines.append(TopLine("  (no powered-on VM on this host at this time)", .dim))
            return Array(lines.prefix(max(rows, 0)))
        }
        // every row: (vm, vcpu or nil), then the window that holds the selection
        var all: [(VMRow, Int?)] = []
        var selectedAt = 0
        for v in vms {
            if v.id == state.selectedVM { selectedAt = all.count }
            all.append((v, nil))
            if state.panel == .cpu, state.expanded.contains(v.id) {
                for n in 0..<v.vcpus { all.append((v, n)) }
            }
        }
        let room = max(0, rows - 1)
        let first = selectedAt < room ? 0 : selectedAt - room + 1
        for (v, n) in all.dropFirst(first).prefix(room) {
            lines.append(clip(row(v, vcpu: n, columns, panel: state.panel, selected: n == nil && v.id == (state.selectedVM ?? vms[0].id)), width))
        }
        return lines
    }

    static func isNumeric(_ c: TopColumn) -> Bool { c.title != "NAME" && c.title != "USED-BY" && c.title != "DNAME" && c.title != "DATASTORE" }

    static func row(_ v: VMRow, vcpu: Int?, _ columns: [TopColumn], panel: TopPanel, selected: Bool) -> TopLine {
        var spans: [TopSpan] = []
        for c in columns {
            let cell = vcpu.map { c.cell(v, vcpu: $0) ?? .text("") } ?? c.cell(v)
            var style: TopStyle = selected ? .selected : vcpu == nil ? .plain : .dim
            switch cell {
            case .text(let s): spans.append(TopSpan(pad(s, c.width, right: false) + " ", style))
            case .number(let x):
                // CPU thresholds are per vCPU; a VM's group sums its vCPUs, as esxtop
                let per = panel == .cpu && vcpu == nil ? x / Double(max(1, v.vcpus)) : x
                if !selected {
                    if let a = c.alarmAt, per >= a { style = .alarm } else if let w = c.warnAt, per >= w { style = .warn }
                }
                spans.append(TopSpan(pad(format(x, c.decimals), c.width, right: true) + " ", style))
            }
        }
        return TopLine(spans)
    }

    public static func format(_ x: Double, _ decimals: Int) -> String {
        decimals == 0 ? String(Int(x.rounded())) : String(format: "%.\(decimals)f", x)
    }

    static func pad(_ s: String, _ w: Int, right: Bool) -> String {
        if s.count >= w { return String(s.prefix(w)) }
        let fill = String(repeating: " ", count: w - s.count)
        return right ? fill + s : s + fill
    }

    /// A line cut to `width` characters.
    static func clip(_ line: TopLine, _ width: Int) -> TopLine {
        var left = width
        var out: [TopSpan] = []
        for s in line.spans where left > 0 {
            let t = s.text.count <= left ? s.text : String(s.text.prefix(left))
            left -= t.count
            out.append(TopSpan(t, s.style))
        }
        return TopLine(out)
    }

    static func statusLine(_ state: TopViewState, width: Int, height: Int) -> TopLine {
        if let s = state.status { return TopLine(s, .status) }
        if width < 80 || height < 24 {
            return TopLine("terminal \(width)x\(height) < 80x24: showing what fits", .warn)
        }
        return TopLine("c m d n panels  space pause  s step  +- speed  [ ] time  e expand  h help  q quit", .dim)
    }

    static let helpText = [
        "hyperlab top: esxtop of the simulation (it replays the recorded run)",
        "",
        "  c m d n      CPU, memory, disk, network panel",
        "  U R C L      sort the CPU panel by %USED, %RDY, %CSTP, %MLMTD",
        "  M G T B S Z  sort the memory panel by MEMSZ, GRANT, TCHD, MCTLSZ, SWCUR, ZIP",
        "  C W B L      sort the disk panel by CMDS/s, WRITES/s, MBWRTN/s, DAVG",
        "  P T          sort the network panel by PKTTX/s, MbTX/s;  N  by GID (any panel)",
        "  up/down      select a VM    e  expand or fold its vCPU worlds (CPU panel)",
        "  tab / S-tab  next / previous host",
        "  space        pause or play  s  step one frame (pauses)",
        "  + -          play faster / slower",
        "  left right [ ]  one frame back / forward (pauses)",
        "  { } PgUp PgDn   ten frames back / forward   Home End  first / last frame",
        "  h ?          this help (any key closes it)    q  Ctrl-C  quit",
    ]

    static func help(width: Int, height: Int) -> [TopLine] {
        var lines = helpText.prefix(max(0, height - 1)).map { clip(TopLine($0, $0.hasPrefix("hyperlab") ? .header : .plain), width) }
        while lines.count < height - 1 { lines.append(TopLine()) }
        lines.append(clip(TopLine("press any key to go back", .dim), width))
        return lines
    }
}
