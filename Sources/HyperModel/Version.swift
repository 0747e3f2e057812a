public enum HyperModelVersion { public static let version = "0.1.0" }
