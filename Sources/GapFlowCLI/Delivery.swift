import Dispatch
import Foundation

/// Runs the delivery command for one notice, and never waits past its timeout.
///
/// The notice goes to the command's standard input through a non-blocking pipe, a piece at a time as the command
/// reads it, so a command that never reads a notice larger than the pipe's buffer cannot hold gapflow up. Its
/// standard error is read meanwhile (the last line is the reason shown for a failure). At the timeout the
/// command's whole process group, the shell and whatever it started, is stopped.
enum Delivery {
    enum Result: Equatable {
        case success
        case failure(String)
    }

    /// How long a stopped command may take to end after SIGTERM, and again after SIGKILL.
    static let grace: DispatchTimeInterval = .seconds(2)

    static func run(_ command: String, input: String, noticeID: String, timeout: TimeInterval, in environment: Environment) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = environment.workingDirectory
        var variables = environment.variables
        variables["GAPFLOW_NOTICE_ID"] = noticeID
        process.environment = variables
        let stdin = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        let deadline = DispatchTime.now() + timeout
        do {
            try process.run()
        } catch {
            return .failure("cannot start /bin/sh: \(error.localizedDescription)")
        }
        var streams = Streams(input: Array((input + "\n").utf8), stdin: stdin.fileHandleForWriting, stderr: stderr.fileHandleForReading)
        defer { streams.close() }
        guard streams.exchange(until: deadline, finished: finished) else {
            stop(process, finished: finished)
            return .failure("timed out after \(timeout) s")
        }
        streams.drainErrors()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: streams.errors, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init)
            return .failure("exit status \(process.terminationStatus)" + (message.map { ": \($0)" } ?? ""))
        }
        return .success
    }

    /// Stops the command and everything it started: SIGTERM to its process group, SIGKILL if that does not end it.
    private static func stop(_ process: Process, finished: DispatchSemaphore) {
        let pid = process.processIdentifier
        // Foundation starts the command as the leader of its own process group; signal the group if it is so.
        let target = getpgid(pid) == pid ? -pid : pid
        kill(target, SIGTERM)
        if finished.wait(timeout: .now() + grace) == .timedOut {
            kill(target, SIGKILL)
            _ = finished.wait(timeout: .now() + grace)
        } else {
            kill(target, SIGKILL)  // what the command started and left behind
        }
    }

    /// The parent's ends of the command's standard input and standard error, both non-blocking.
    private struct Streams {
        private var input: [UInt8]
        private var written = 0
        private var stdin: FileHandle?
        private var stderr: FileHandle?
        /// The last bytes the command wrote to standard error.
        private(set) var errors: [UInt8] = []

        init(input: [UInt8], stdin: FileHandle, stderr: FileHandle) {
            self.input = input
            self.stdin = stdin
            self.stderr = stderr
            for handle in [stdin, stderr] {
                let descriptor = handle.fileDescriptor
                _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            }
        }

        /// Feeds standard input and reads standard error until the command ends (true) or the deadline passes (false).
        mutating func exchange(until deadline: DispatchTime, finished: DispatchSemaphore) -> Bool {
            while finished.wait(timeout: .now()) == .timedOut {
                let now = DispatchTime.now()
                guard now < deadline else { return false }
                var descriptors: [pollfd] = []
                if let stdin { descriptors.append(pollfd(fd: stdin.fileDescriptor, events: Int16(POLLOUT), revents: 0)) }
                if let stderr { descriptors.append(pollfd(fd: stderr.fileDescriptor, events: Int16(POLLIN), revents: 0)) }
                if descriptors.isEmpty { return finished.wait(timeout: deadline) == .success }
                // In slices: a command can end while something it started keeps a pipe open.
                let milliseconds = min(50, (deadline.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000 + 1)
                guard poll(&descriptors, nfds_t(descriptors.count), Int32(milliseconds)) > 0 else { continue }
                for descriptor in descriptors where descriptor.revents != 0 {
                    if descriptor.fd == stdin?.fileDescriptor { feed() } else { readErrors() }
                }
            }
            return true
        }

        /// Writes as much of the input as the pipe takes; closes it when all is written or the command stopped reading.
        private mutating func feed() {
            guard let stdin else { return }
            let count = input.withUnsafeBytes { bytes in
                write(stdin.fileDescriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if count > 0 { written += count }
            if written == input.count || (count < 0 && errno != EAGAIN && errno != EINTR) {
                try? stdin.close()
                self.stdin = nil
            }
        }

        /// Reads what standard error holds, closing it at its end; true if there may be more to read at once.
        @discardableResult
        private mutating func readErrors() -> Bool {
            guard let stderr else { return false }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { read(stderr.fileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                errors += buffer[..<count]
                if errors.count > 8192 { errors.removeFirst(errors.count - 8192) }
                return true
            }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { return false }
            try? stderr.close()
            self.stderr = nil
            return false
        }

        /// Reads what is left on standard error without waiting for more.
        mutating func drainErrors() {
            while readErrors() {}
        }

        mutating func close() {
            try? stdin?.close()
            try? stderr?.close()
            stdin = nil
            stderr = nil
        }
    }
}
