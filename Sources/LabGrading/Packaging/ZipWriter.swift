import Foundation

/// A minimal ZIP writer (entries stored uncompressed, Unix permissions kept) for
/// `hyperlab pack`: no zip tool is needed on the instructor's machine.
public struct ZipWriter {
    private var data = Data()
    private var central = Data()
    private var count: UInt16 = 0

    public init() {}

    public mutating func add(_ name: String, _ contents: Data, executable: Bool = false) {
        let nameBytes = Data(name.utf8)
        let crc = ZipWriter.crc32(contents)
        let offset = UInt32(data.count)
        // local file header
        data.append(le32(0x0403_4B50))
        data.append(le16(20)); data.append(le16(0)); data.append(le16(0))  // version, flags, stored
        data.append(le16(0)); data.append(le16(0x21))                      // time, date (1980-01-01: reproducible)
        data.append(le32(crc)); data.append(le32(UInt32(contents.count))); data.append(le32(UInt32(contents.count)))
        data.append(le16(UInt16(nameBytes.count))); data.append(le16(0))
        data.append(nameBytes)
        data.append(contents)
        // central directory entry
        central.append(le32(0x0201_4B50))
        central.append(le16(0x031E)); central.append(le16(20)); central.append(le16(0)); central.append(le16(0))  // made by Unix
        central.append(le16(0)); central.append(le16(0x21))
        central.append(le32(crc)); central.append(le32(UInt32(contents.count))); central.append(le32(UInt32(contents.count)))
        central.append(le16(UInt16(nameBytes.count))); central.append(le16(0)); central.append(le16(0))
        central.append(le16(0)); central.append(le16(0))
        central.append(le32(UInt32(executable ? 0o100755 : 0o100644) << 16))
        central.append(le32(offset))
        central.append(nameBytes)
        count += 1
    }

    public func finished() -> Data {
        var out = data
        out.append(central)
        out.append(le32(0x0605_4B50))
        out.append(le16(0)); out.append(le16(0)); out.append(le16(count)); out.append(le16(count))
        out.append(le32(UInt32(central.count))); out.append(le32(UInt32(data.count))); out.append(le16(0))
        return out
    }

    static func crc32(_ d: Data) -> UInt32 {
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[i] = c
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for b in d { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

private func le16(_ v: UInt16) -> Data { withUnsafeBytes(of: v.littleEndian) { Data($0) } }
private func le32(_ v: UInt32) -> Data { withUnsafeBytes(of: v.littleEndian) { Data($0) } }
