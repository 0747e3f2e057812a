/// "did you mean …" for misspelt names.
public enum Suggest {
    /// " (did you mean 'x'?)" when a close candidate exists, else "".
    public static func didYouMean(_ word: String, _ candidates: [String]) -> String {
        guard let best = closest(word, candidates) else { return "" }
        return " (did you mean '\(best)'?)"
    }

    /// The candidate closest by edit distance, or else one sharing a long start with the
    /// word ("reserve" and "reservation") or holding its letters in order ("pts", "points").
    public static func closest(_ word: String, _ candidates: [String]) -> String? {
        let w = Array(word.lowercased().utf8)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased().utf8))
            let allowed = max(1, min(3, c.utf8.count / 3))
            if d <= allowed, best == nil || d < best!.1 { best = (c, d) }
        }
        if let best { return best.0 }
        guard w.count >= 3 else { return nil }
        return candidates.first { c in
            let l = Array(c.lowercased().utf8)
            let common = zip(l, w).prefix { $0 == $1 }.count
            return common >= max(4, w.count * 6 / 10) || (l.first == w.first && isSubsequence(w, of: l))
        }
    }

    static func isSubsequence(_ a: [UInt8], of b: [UInt8]) -> Bool {
        var i = 0
        for x in b where i < a.count && a[i] == x { i += 1 }
        return i == a.count
    }

    /// Edit distance where swapping two neighbouring letters counts as one edit.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { cur[j] = min(cur[j], before[j - 2] + 1) }
            }
            (before, prev, cur) = (prev, cur, before)
        }
        return prev[b.count]
    }
}
