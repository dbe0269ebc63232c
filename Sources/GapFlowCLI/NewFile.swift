import Foundation
import GapFlow

/// Files the CLI creates that must never replace another: checkpoints.
enum NewFile {
    /// Writes `text` to a new file at `path`: first to a temporary file beside it (readable by its owner only, or by
    /// `group` too), synced, then linked into place, so that nothing is ever overwritten, nothing is written through a
    /// symbolic link, and a failure leaves no half-written file.
    static func write(_ text: String, to path: String, group: FileGroup? = nil) throws {
        var entry = stat()
        if lstat(path, &entry) == 0 {
            throw CommandFailure("\(path) already exists; it is not overwritten", hint: "choose another file name")
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).part").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure(
                "cannot write \(path): \(String(cString: strerror(errno)))", hint: "check that its folder exists and is writable")
        }
        var isOpen = true
        do {
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { raw in
                    Foundation.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                }
                guard written > 0 else { throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
                offset += written
            }
            guard fsync(descriptor) == 0 else { throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
            close(descriptor)
            isOpen = false
            try group?.share(temporary)
            try place(temporary, at: path)
        } catch {
            if isOpen { close(descriptor) }
            unlink(temporary)
            throw error
        }
    }

    /// Moves a finished file into place without replacing anything: a hard link fails if `path` exists.
    private static func place(_ temporary: String, at path: String) throws {
        if link(temporary, path) == 0 {
            unlink(temporary)
            return
        }
        let reason = errno
        var entry = stat()
        if reason == EEXIST || lstat(path, &entry) == 0 { throw CommandFailure("\(path) appeared meanwhile; it is not overwritten") }
        guard rename(temporary, path) == 0 else { throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
