import Foundation

/// A secret read from standard input: its first line, without echo when it is a terminal.
enum Secret {
    static func read(from input: FileHandle) throws -> String {
        let descriptor = input.fileDescriptor
        var saved = termios()
        let terminal = isatty(descriptor) == 1 && tcgetattr(descriptor, &saved) == 0
        if terminal {
            FileHandle.standardError.write(Data("password: ".utf8))
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(descriptor, TCSAFLUSH, &silent)
        }
        defer {
            if terminal {
                tcsetattr(descriptor, TCSAFLUSH, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        var reader = LineReader(input)
        guard let line = reader.next(), !line.isEmpty else {
            throw UsageError("no password on standard input", hint: "e.g. printf '%s\\n' \"$PASSWORD\" | gapflow actor password NAME")
        }
        return line
    }
}
