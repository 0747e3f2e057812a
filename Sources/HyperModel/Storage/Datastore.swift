/// The kind of storage behind a datastore.
public enum DatastoreKind: String, CaseIterable, Sendable {
    case ssd, hdd, san, nfs
}

/// A datastore: storage of a given kind and capacity that hosts mount and VM files live on.
public final class Datastore {
    public let name: String
    public let capacity: Int64
    public let kind: DatastoreKind
    public internal(set) var hosts: [Host] = []

    init(name: String, capacity: Int64, kind: DatastoreKind) {
        self.name = name
        self.capacity = capacity
        self.kind = kind
    }
}
