import Foundation
import HyperTop

/// The interactive loop: draws the frame under the time cursor, plays frames at the
/// chosen speed, and applies keys as they come (poll on standard input, no busy wait).
/// A screen is written only when it differs from the one shown.
final class TopViewer {
    private var state = TopViewState()
    private let recording: TopRecording
    private let color: Bool

    init(_ recording: TopRecording, note: String?) {
        self.recording = recording
        color = ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        state.status = note
    }

    /// Runs until q (0), Ctrl-C (130) or the terminal going away (1).
    func run() -> Int32 {
        do { try RawTerminal.enter() } catch {
            FileHandle.standardError.write(Data("hyperlab top: \(error)\n".utf8))
            return 2
        }
        defer { RawTerminal.restore() }
        var shown = ""
        var nextTick = now() + 1 / state.speed
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let (w, h) = RawTerminal.size()
            RawTerminal.resized = false
            let screen = TopRender.ansi(TopScreenBuilder.build(recording, state, width: w, height: h), color: color)
            if screen != shown {
                RawTerminal.write(screen)
                shown = screen
            }
            var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let wait = state.playing ? max(0, Int32((nextTick - now()) * 1000)) : 1000
            let ready = poll(&fds, 1, wait)
            if ready > 0 {
                if fds.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return 1 }  // the terminal is gone
                let n = read(STDIN_FILENO, &buffer, buffer.count)
                if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) { return 1 }  // the terminal is gone
                if n > 0 {
                    let wasPlaying = state.playing
                    for key in TopKey.decode(Array(buffer[0..<n])) {
                        switch TopController.apply(key, to: &state, recording) {
                        case .quit: return 0
                        case .interrupted: return 130
                        case .redraw: break
                        }
                    }
                    if state.playing && !wasPlaying { nextTick = now() + 1 / state.speed }
                }
            }
            if state.playing, now() >= nextTick {
                TopController.tick(&state, recording)
                nextTick = max(nextTick + 1 / state.speed, now())
            }
        }
    }

    private func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
