/// An operation the model refuses, with a message that says why in the user's terms:
/// the object, the field, the value and what is allowed. Nothing has changed when it is
/// thrown.
public struct ModelError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
