import Foundation
import LuaKit

/// Ctrl-C while a line runs: the terminal is in its normal mode then, so the key arrives
/// as SIGINT; it stops the Lua code (and a `:run` at its next event) instead of the
/// shell. The handler only sets the state's interrupt flag (an atomic store).
enum ShellInterrupt {
    nonisolated(unsafe) private static var handle: LuaInterruptHandle?

    /// The shell's SIGINT handler, put in place before the terminal leaves raw mode (so a
    /// Ctrl-C typed just after Enter never meets the raw mode's fatal handler or the
    /// default action); between lines, with no line running, it does nothing.
    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        signal(SIGINT, onInterrupt)
    }

    static func during<R>(_ h: LuaInterruptHandle, _ body: () -> R) -> R {
        handle = h
        install()
        // RawTerminal.enter puts its own handler back before the next line is read
        defer { handle = nil }
        return body()
    }
}

private func onInterrupt(_: Int32) { ShellInterrupt.handleInterrupt() }

extension ShellInterrupt {
    fileprivate static func handleInterrupt() { handle?.interrupt() }
}
