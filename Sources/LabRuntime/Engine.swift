/// The engine's identity, recorded in every result.
public enum Engine {
    public static let name = "hyperlab"
    public static let version = "0.1.0"
    public static var description: String { "\(name) \(version)" }
}
