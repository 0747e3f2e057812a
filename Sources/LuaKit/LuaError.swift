/// An error a binding throws. The trampoline turns it into a Lua error at the position of
/// the user code that made the call, after the Swift frame has returned.
public struct LuaError: Error, CustomStringConvertible, Equatable {
    public var message: String
    /// False when the message already carries a position (an error relayed from other
    /// Lua code), so none is added.
    public var addsPosition: Bool
    public init(_ message: String) {
        self.message = message
        self.addsPosition = true
    }
    public init(relayed message: String) {
        self.message = message
        self.addsPosition = false
    }
    public var description: String { message }

    /// "`function`: `field` `value` is not `what` (`hint`)", the shape of every argument error.
    public static func badValue(
        _ function: String, field: String, value: String, expected: String, hint: String? = nil
    ) -> LuaError {
        var text = "\(function): \(field) \(value) is not \(expected)"
        if let hint { text += " (\(hint))" }
        return LuaError(text)
    }
}

/// Errors that cross the boundary with the same meaning in every caller.
public enum LuaLoadError: Error, Equatable {
    case syntax(String)
    case memory(String)
}
