import Foundation
import LabGrading

/// The terminal in raw mode, for `top` (with the alternate screen, the cursor hidden) and
/// for the shell's line editor (in place) — and put back exactly as found on every way
/// out: q, Ctrl-C, an error, SIGTERM, SIGHUP, a crash. The restore path uses only async-signal-safe calls (write, tcsetattr), so the
/// signal handlers can run it.
enum RawTerminal {
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var active = false
    /// Set by SIGWINCH: the size is read again before the next draw.
    nonisolated(unsafe) static var resized = false
    /// The leave sequence as bytes made before any handler is installed: a signal
    /// handler must not allocate.
    nonisolated(unsafe) static var leaveBytes = bytes(leaveSequence)
    nonisolated(unsafe) static var leaveLineBytes = bytes(leaveLineSequence)
    /// Whether the screen in use is the alternate one (top) or the normal one (the shell).
    nonisolated(unsafe) private static var onAlternateScreen = true
    nonisolated(unsafe) private static var flushOnChange = true

    static let enterSequence = "\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J"
    static let leaveSequence = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"
    /// The shell's way out: colours off, the cursor shown; the text stays.
    static let leaveLineSequence = "\u{1B}[0m\u{1B}[?25h"

    private static func bytes(_ s: String) -> UnsafeMutableBufferPointer<UInt8> {
        let bytes = Array(s.utf8)
        let p = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = p.initialize(from: bytes)
        return p
    }

    static let fatalSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE]

    /// Raw mode (no echo, no line editing, no signals from keys: Ctrl-C arrives as a key),
    /// reads that return at once; for top the alternate screen and no cursor.
    static func enter(alternateScreen: Bool = true) throws {
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else {
            throw UsageError("cannot read the terminal's settings: \(String(cString: strerror(errno)))")
        }
        _ = leaveBytes.count + leaveLineBytes.count  // made now, outside any handler
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | BRKINT | INPCK | ISTRIP)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        // a parent may have started us with signals blocked (test runners, tmux started by
        // one): unblocked, or SIGTERM would wait forever and the terminal stay raw
        var set = sigset_t()
        sigemptyset(&set)
        for s in fatalSignals {
            signal(s, onFatalSignal)
            sigaddset(&set, s)
        }
        signal(SIGWINCH, onResize)
        sigaddset(&set, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        // top drops keys pressed before it started; the shell keeps what was typed ahead
        // while the last line ran
        flushOnChange = alternateScreen
        guard tcsetattr(STDIN_FILENO, alternateScreen ? TCSAFLUSH : TCSADRAIN, &raw) == 0 else {
            throw UsageError("cannot put the terminal in raw mode: \(String(cString: strerror(errno)))")
        }
        active = true
        onAlternateScreen = alternateScreen
        if alternateScreen { write(enterSequence) }
    }

    /// Leaves the alternate screen, shows the cursor and puts the settings back; safe to
    /// call twice and from a signal handler.
    static func restore() {
        guard active else { return }
        active = false
        write(onAlternateScreen ? leaveSequence : leaveLineSequence)
        _ = tcsetattr(STDIN_FILENO, flushOnChange ? TCSAFLUSH : TCSADRAIN, &saved)
    }

    static func write(_ s: String) {
        var s = s
        s.withUTF8 { p in
            var off = 0
            while off < p.count {
                let n = Foundation.write(STDOUT_FILENO, p.baseAddress! + off, p.count - off)
                if n <= 0 { if errno == EINTR { continue } else { return } }
                off += n
            }
        }
    }

    /// Columns and rows (80×24 when the size cannot be read).
    static func size() -> (width: Int, height: Int) {
        var w = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0 else { return (80, 24) }
        return (Int(w.ws_col), Int(w.ws_row))
    }
}

/// Restores the terminal, then dies of the same signal (so the exit status says which).
private func onFatalSignal(_ sig: Int32) {
    RawTerminal.restoreFromSignal()
    signal(sig, SIG_DFL)
    raise(sig)
}

private func onResize(_: Int32) { RawTerminal.resized = true }

extension RawTerminal {
    /// The settings part of `restore`, for the signal handler (which wrote the sequence).
    static func restoreFromSignal() {
        guard active else { return }
        active = false
        let leave = onAlternateScreen ? leaveBytes : leaveLineBytes
        _ = Foundation.write(STDOUT_FILENO, leave.baseAddress!, leave.count)
        _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
    }
}
