import HyperModel
import LuaKit

/// An alarm action written in Lua (`actions = { { run = function(e) ... end } }`). The
/// engine calls it after the sample or event that triggered it, between model events,
/// so it may change the world (power a VM off, fail a host) but not advance time. Its
/// error ends the run, reported at the alarm's definition.
final class LuaAlarmAction: AlarmScript {
    unowned(unsafe) let state: LuaState
    let ref: Int32
    unowned(unsafe) let session: LabSession
    unowned(unsafe) let api: LabAPI
    var alarmName = ""
    var origin = ""

    init(state: LuaState, ref: Int32, session: LabSession, api: LabAPI) {
        self.state = state
        self.ref = ref
        self.session = session
        self.api = api
    }

    func run(_ e: AlarmActionCall) throws {
        let inLab = state === session.labState
        let c = state.context(on: inLab ? session.activeThread : nil)
        let base = c.count
        defer { c.pop(c.count - base) }
        c.pushRef(ref)
        c.pushTable { t in
            t.set("alarm") { c.push(e.alarm, self.api.alarm) }
            t.set("subject") { self.api.pushSubject(e.subject, c) }
            t.set("from", e.from.name)
            t.set("to", e.to.name)
            switch e.value {
            case .number(let v): t.set("value", v)
            case .text(let s): t.set("value", s)
            case .none: break
            }
            t.set("time", e.time.seconds)
            t.set("repeated", e.repeated)
        }
        let limits = inLab
            ? LuaLimits()
            : LuaLimits(instructions: session.options.limits.submissionCallInstructions, wallSeconds: session.options.limits.submissionCallWallSeconds)
        let was = session.runningAlarmAction
        session.runningAlarmAction = true
        defer { session.runningAlarmAction = was }
        let outcome = state.protectedCall(nargs: 1, nresults: 0, limits: limits, on: c.L)
        guard !outcome.isOK else { return }
        let place = origin.isEmpty ? "" : origin + ": "
        let what = e.repeated ? "its repeated action" : "its action for \(e.from.name) → \(e.to.name)"
        throw LuaError(relayed: "\(place)alarm \"\(alarmName)\": \(what) on \(e.subject.description) at \(Units.trim(e.time.seconds)) s failed: \(outcome.message ?? "error")")
    }
}
