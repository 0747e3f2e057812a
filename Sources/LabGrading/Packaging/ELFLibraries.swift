import Foundation

/// What an ELF executable needs from the system it runs on: the shared libraries it
/// names (DT_NEEDED) and the newest glibc symbol version it asks for. `pack` uses it to
/// warn before shipping a binary that will not start in a grader image, and the
/// clean-root test to hold the release build to what Ubuntu 22.04 provides.
public struct ELFLibraries: Equatable, Sendable {
    public var needed: [String]
    /// The glibc symbol versions it references, e.g. ["GLIBC_2.2.5", "GLIBC_2.34"].
    public var glibcVersions: [String]

    /// The libraries of glibc itself (and the loader): present on every glibc system.
    public static let glibc: Set<String> = [
        "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
        "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
    ]

    /// The libraries outside glibc, e.g. libswiftCore.so or liblua5.4.so.0.
    public var beyondGlibc: [String] { needed.filter { !Self.glibc.contains($0) } }

    /// The newest GLIBC_x.y asked for, as (major, minor).
    public var newestGlibc: (Int, Int)? {
        glibcVersions.compactMap { v -> (Int, Int)? in
            let parts = v.dropFirst("GLIBC_".count).split(separator: ".").compactMap { Int($0) }
            return parts.count >= 2 ? (parts[0], parts[1]) : nil
        }.max { $0 < $1 }
    }

    /// Reads a 64-bit little-endian ELF file; nil when `path` is not one.
    public init?(path: String) {
        guard let d = FileManager.default.contents(atPath: path) else { return nil }
        self.init(data: d)
    }

    public init?(data d: Data) {
        let b = [UInt8](d)
        guard b.count > 64, b[0] == 0x7F, b[1] == 0x45, b[2] == 0x4C, b[3] == 0x46, b[4] == 2, b[5] == 1 else { return nil }
        func u(_ at: Int, _ n: Int) -> Int {
            guard at >= 0, at + n <= b.count else { return 0 }
            var v = 0
            for i in (0..<n).reversed() { v = v << 8 | Int(b[at + i]) }
            return v
        }
        func string(_ at: Int) -> String {
            guard at >= 0, at < b.count else { return "" }
            var end = at
            while end < b.count, b[end] != 0 { end += 1 }
            return String(decoding: b[at..<end], as: UTF8.self)
        }
        let shoff = u(0x28, 8), shentsize = u(0x3A, 2), shnum = u(0x3C, 2)
        struct Section { let type: Int, offset: Int, size: Int, link: Int }
        let sections = (0..<shnum).map { i -> Section in
            let s = shoff + i * shentsize
            return Section(type: u(s + 4, 4), offset: u(s + 0x18, 8), size: u(s + 0x20, 8), link: u(s + 0x28, 4))
        }
        var needed: [String] = [], versions: Set<String> = []
        for s in sections where s.link < sections.count {
            let strtab = sections[s.link].offset
            switch s.type {
            case 6:  // SHT_DYNAMIC: Elf64_Dyn entries; DT_NEEDED = 1
                for e in stride(from: s.offset, to: s.offset + s.size, by: 16) where u(e, 8) == 1 {
                    needed.append(string(strtab + u(e + 8, 8)))
                }
            case 0x6FFF_FFFE:  // SHT_GNU_verneed: the versions asked of each library
                var at = s.offset
                while at > 0, at < s.offset + s.size {
                    let count = u(at + 2, 2), aux = u(at + 8, 4), next = u(at + 12, 4)
                    var a = at + aux
                    for _ in 0..<count {
                        let name = string(strtab + u(a + 8, 4))
                        if name.hasPrefix("GLIBC_") { versions.insert(name) }
                        let step = u(a + 12, 4)
                        if step == 0 { break }
                        a += step
                    }
                    if next == 0 { break }
                    at += next
                }
            default: break
            }
        }
        self.needed = needed
        self.glibcVersions = versions.sorted()
    }
}
