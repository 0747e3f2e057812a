import Testing
@testable import LuaKit

@Suite("Host objects as userdata", .serialized)
struct ObjectTests {
    @Test func stablePropertiesAreCachedPerObject() throws {
        let s = try makeState()
        reads = 0
        #expect(s.eval("local a, b = things.make('a'), things.make('b'); local n = 0; for i = 1, 100 do n = n + #a.name + #b.name end; return n").1 == "200")
        #expect(reads == 2)
        #expect(s.eval("local t = things.make('c'); t.level = 3; t.level = 4; return t.level").1 == "4")  // writable: never cached
    }

    @Test func tostringAndProperties() throws {
        let s = try makeState()
        #expect(s.eval("local t = things.make('web01'); return tostring(t)").1 == "Thing(web01)")
        #expect(s.eval("local t = things.make('a'); return t.name").1 == "a")
        #expect(s.eval("local t = things.make('a'); t.level = 5; return t:add(2)").1 == "7")
    }

    @Test func metatableIsLocked() throws {
        let s = try makeState()
        #expect(s.eval("return getmetatable(things.make('a'))").1 == "locked")
        let (o, _) = s.eval("setmetatable(things.make('a'), {})")
        #expect(o.message?.contains("cannot change a protected metatable") == true || o.message?.contains("table expected") == true)
    }

    @Test func readOnlyPropertyRefusesWrites() throws {
        let s = try makeState()
        let (o, _) = s.eval("local t = things.make('a')\nt.name = 'b'")
        #expect(o.message == "test.lua:2: Thing(a).name is read-only (writable: level)")
    }

    @Test func unknownPropertySuggestsTheClosest() throws {
        let s = try makeState()
        let (o, _) = s.eval("local t = things.make('a')\nreturn t.levl")
        #expect(o.message == "test.lua:2: Thing(a) has no property or method 'levl' (did you mean 'level'?)")
    }

    @Test func setterValidationNamesTheValue() throws {
        let s = try makeState()
        let (o, _) = s.eval("local t = things.make('a')\n\nt.level = -3")
        #expect(o.message == "test.lua:3: Thing(a).level: -3 is negative (use 0 or more)")
    }

    @Test func argumentErrorsNameTheArgumentAndPosition() throws {
        let s = try makeState()
        let (o, _) = s.eval("local t = things.make('a')\nreturn t:add('x')")
        #expect(o.message == "test.lua:2: Thing:add: n \"x\" is not an integer")
    }

    @Test func methodNeedsItsObject() throws {
        let s = try makeState()
        let (o, _) = s.eval("local t = things.make('a')\nreturn t.add(5)")
        #expect(o.message?.hasPrefix("test.lua:2: Thing:add must be called on a Thing with ':'") == true)
    }

    @Test func pcallCatchesBindingErrors() throws {
        let s = try makeState()
        let r = s.eval("local ok, err = pcall(function() return things.make(42) end) return tostring(ok) .. ' ' .. err")
        #expect(r.1 == "false test.lua:1: things.make: name 42 is not a string")
    }

    @Test func sameObjectIsSameUserdata() throws {
        let s = try makeState()
        let (api, cls) = thingAPI()
        _ = api
        let thing = Thing("x")
        s.pushObject(s.L, thing, cls)
        s.pushObject(s.L, thing, cls)
        #expect(s.value(at: -1).typeName == "object")
        s.setTop(0)
        #expect(s.eval("local a = things.make('q'); return a == a").1 == "true")
    }

    @Test func objectsAreReleasedWhenTheStateCloses() throws {
        weak var weakThing: Thing?
        do {
            let s = try makeState()
            let (_, cls) = thingAPI()
            let thing = Thing("x")
            weakThing = thing
            s.pushObject(s.L, thing, cls)
            s.setTop(0)
        }
        #expect(weakThing == nil)
    }

    /// `onRead` is read when a state installs the class: a tracked class's getters report
    /// each read of a changing property and each method call; writes and stable
    /// properties (served from the cache in C) are not reported.
    @Test func readsAreReportedWhenTrackingIsSetBeforeInstall() throws {
        final class Log { var names: [String] = [] }
        let log = Log()
        let (api, cls) = thingAPI()
        cls.onRead = { t, name in log.names.append("\(t.name).\(name)") }
        let s = try LuaState()
        s.install(api)
        let r = s.eval("local t = things.make('a'); t.level = 2; local n = t.level + t.level + #t.name + #t.name; return t:add(1) + n")
        #expect(r.1 == "9")
        #expect(log.names == ["a.level", "a.level", "a.add"])
    }
}
