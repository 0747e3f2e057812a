/// A top screen as ANSI: each line drawn from the top-left, cleared to its end, with
/// colours (SGR) per style. Lines are already cut to the width, so nothing wraps.
public enum TopRender {
    public static func ansi(_ screen: TopScreen, color: Bool) -> String {
        var out = "\u{1B}[H"
        for (i, line) in screen.lines.enumerated() {
            for span in line.spans {
                if color, let sgr = sgr(span.style) { out += "\u{1B}[\(sgr)m" + span.text + "\u{1B}[0m" } else { out += span.text }
            }
            out += "\u{1B}[K"
            if i < screen.lines.count - 1 { out += "\r\n" }
        }
        return out + "\u{1B}[J"
    }

    static func sgr(_ s: TopStyle) -> String? {
        switch s {
        case .plain: return nil
        case .header: return "1;36"
        case .title: return "7"
        case .sortedTitle: return "1;7;33"
        case .selected: return "1;44;37"
        case .good: return "32"
        case .warn: return "33"
        case .alarm: return "1;31"
        case .dim: return "2"
        case .status: return "1;33"
        }
    }
}
