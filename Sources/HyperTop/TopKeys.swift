/// A key press, decoded from the bytes a terminal sends (ANSI escape sequences for the
/// arrows and the paging keys).
public enum TopKey: Equatable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end, tab, backTab
    case interrupt  // Ctrl-C (the terminal is in raw mode, so it arrives as a byte)
    case unknown(String)

    /// Decodes every key in `bytes`. An escape sequence cut at the end is returned as an
    /// unknown key rather than waited for: terminals send a sequence in one write.
    public static func decode(_ bytes: [UInt8]) -> [TopKey] {
        var keys: [TopKey] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B, i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "[") || bytes[i + 1] == UInt8(ascii: "O") {
                // CSI: parameters, then a final byte in 0x40...0x7E
                var j = i + 2
                while j < bytes.count, !(0x40...0x7E).contains(bytes[j]) { j += 1 }
                guard j < bytes.count else {
                    keys.append(.unknown("ESC"))
                    break
                }
                let params = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                keys.append(csi(params, bytes[j]))
                i = j + 1
                continue
            }
            switch b {
            case 0x03: keys.append(.interrupt)
            case 0x09: keys.append(.tab)
            case 0x1B: keys.append(.unknown("ESC"))
            case 0x20...0x7E: keys.append(.char(Character(Unicode.Scalar(b))))
            default: keys.append(.unknown(describe(b)))
            }
            i += 1
        }
        return keys
    }

    private static func csi(_ params: String, _ final: UInt8) -> TopKey {
        switch (params, Character(Unicode.Scalar(final))) {
        case (_, "A"): return .up
        case (_, "B"): return .down
        case (_, "C"): return .right
        case (_, "D"): return .left
        case (_, "H"), ("1", "~"), ("7", "~"): return .home
        case (_, "F"), ("4", "~"), ("8", "~"): return .end
        case ("5", "~"): return .pageUp
        case ("6", "~"): return .pageDown
        case (_, "Z"): return .backTab
        default: return .unknown("ESC[\(params)\(Character(Unicode.Scalar(final)))")
        }
    }

    private static func describe(_ b: UInt8) -> String {
        b < 0x20 ? "Ctrl-" + String(Character(Unicode.Scalar(b + 0x40))) : "byte \(b)"
    }
}
