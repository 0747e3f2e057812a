/// A key of the shell's line editor, decoded from what a terminal in raw mode sends.
public enum LineKey: Equatable, Sendable {
    case char(Character)
    case left, right, up, down, home, end
    case backspace, delete, tab, enter
    /// Ctrl-A, Ctrl-E, Ctrl-U, Ctrl-K, Ctrl-W, Ctrl-D, Ctrl-C, Ctrl-L: readline's meanings.
    case ctrlA, ctrlE, ctrlU, ctrlK, ctrlW, ctrlD, ctrlC, ctrlL
    /// A byte or escape sequence the editor has no use for (ignored, never inserted).
    case unknown
}

public enum LineKeys {
    /// Decodes one read's bytes: UTF-8 characters, control keys, and the CSI and SS3
    /// sequences xterm, tmux and the Linux console send for arrows, Home, End and Delete.
    public static func decode(_ bytes: [UInt8]) -> [LineKey] {
        var keys: [LineKey] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x01: keys.append(.ctrlA)
            case 0x02: keys.append(.left)  // Ctrl-B
            case 0x03: keys.append(.ctrlC)
            case 0x04: keys.append(.ctrlD)
            case 0x05: keys.append(.ctrlE)
            case 0x06: keys.append(.right)  // Ctrl-F
            case 0x08, 0x7F: keys.append(.backspace)
            case 0x09: keys.append(.tab)
            case 0x0A, 0x0D: keys.append(.enter)
            case 0x0B: keys.append(.ctrlK)
            case 0x0C: keys.append(.ctrlL)
            case 0x0E: keys.append(.down)  // Ctrl-N
            case 0x10: keys.append(.up)  // Ctrl-P
            case 0x15: keys.append(.ctrlU)
            case 0x17: keys.append(.ctrlW)
            case 0x1B:
                let (key, used) = escape(bytes, from: i)
                keys.append(key)
                i += used
                continue
            case 0x20...0x7E: keys.append(.char(Character(Unicode.Scalar(b))))
            case 0xC2...0xF4:
                // a multi-byte UTF-8 character: its length from the lead byte
                let n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                if i + n <= bytes.count, let s = String(validating: bytes[i..<i + n], as: UTF8.self), let c = s.first {
                    keys.append(.char(c))
                    i += n
                    continue
                }
                keys.append(.unknown)
            default: keys.append(.unknown)
            }
            i += 1
        }
        return keys
    }

    /// An escape sequence starting at `i`: the key and how many bytes it took.
    private static func escape(_ bytes: [UInt8], from i: Int) -> (LineKey, Int) {
        guard i + 1 < bytes.count else { return (.unknown, 1) }  // a lone ESC
        let kind = bytes[i + 1]
        guard kind == UInt8(ascii: "[") || kind == UInt8(ascii: "O") else { return (.unknown, 2) }  // Alt-key
        // parameters (digits, ;) then one final byte
        var j = i + 2
        var params = ""
        while j < bytes.count, (0x30...0x3F).contains(bytes[j]) {
            params.append(Character(Unicode.Scalar(bytes[j])))
            j += 1
        }
        guard j < bytes.count else { return (.unknown, j - i) }
        let final = Character(Unicode.Scalar(bytes[j]))
        let used = j - i + 1
        switch (params, final) {
        case (_, "A"): return (.up, used)
        case (_, "B"): return (.down, used)
        case (_, "C"): return (.right, used)
        case (_, "D"): return (.left, used)
        case (_, "H"), ("1", "~"), ("7", "~"): return (.home, used)
        case (_, "F"), ("4", "~"), ("8", "~"): return (.end, used)
        case ("3", "~"): return (.delete, used)
        default: return (.unknown, used)
        }
    }
}
